import Foundation
import XCTest
@testable import KestrelTensor

/// The device seam: only backends touch element memory, operations run on their operands' device,
/// mixing devices is an error that names the fix, and on the simulated discrete device a training
/// step makes no host transfer it was not asked for.
final class DeviceSeamTests: XCTestCase {
    private var sourcesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }

    /// Every line of KestrelTensor outside `Backends/` that names raw memory: a pointer type, a
    /// buffer's `pointer`, a `TensorBuffer` made or read.
    func testNoCodeOutsideABackendTouchesElementMemory() throws {
        let root = sourcesFolder.appendingPathComponent("KestrelTensor").standardizedFileURL.path + "/"
        let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        var offending: [String] = []
        var scanned = 0
        let patterns = ["Unsafe", ".pointer", "TensorBuffer(", "bufferPointer", "withMemoryRebound"]
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift"), !relative.hasPrefix("Backends/") else { continue }
            scanned += 1
            let text = try String(contentsOfFile: root + relative, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.components(separatedBy: "//").first ?? ""
                for pattern in patterns where code.contains(pattern) {
                    offending.append("KestrelTensor/\(relative):\(number + 1): \(pattern)")
                }
            }
        }
        XCTAssertGreaterThan(scanned, 20, "KestrelTensor's sources not found at \(root)")
        XCTAssertEqual(offending, [], "move the loop into a backend requirement (Backends/KernelBackend.swift)")
    }

    func testTheSimulatedDevicesMemoryIsNotHostMemory() throws {
        let onDevice = Tensor([1, 2, 3]).to(.simulated)
        XCTAssertEqual(onDevice.device, .simulated)
        XCTAssertNil(onDevice.storage as? TensorBuffer, "a host backend must not be able to read it")
        XCTAssertTrue(onDevice.storage is SimulatedDeviceStorage)
        XCTAssertEqual(onDevice.scalars, [1, 2, 3])
    }

    func testMixingDevicesThrowsNamingBothAndTheFix() throws {
        let host = Tensor([1, 2]), device = Tensor([3, 4]).to(.simulated)
        let operations: [(String, () throws -> Tensor)] = [
            ("add", { try host + device }),
            ("matmul", { try host.reshaped([1, 2]).matmul(device.reshaped([2, 1])) }),
            ("concatenate", { try Tensor.concatenate([host, device]) }),
            ("where", { try Tensor.where(host, device, host) }),
            ("update", { try host.updated(by: .sgd(learningRate: 0.1, momentum: 0, nesterov: false), gradient: device, slots: []).parameter }),
        ]
        for (name, operation) in operations {
            XCTAssertThrowsError(try operation(), name) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("cpu") && message.contains("simulated") && message.contains(".to("), message)
            }
        }
        let tracked = host.requiringGradient()
        XCTAssertThrowsError(try gradient(of: tracked.exp(), wrt: [tracked], outputGradient: device)) { error in
            XCTAssertTrue("\(error)".contains("different devices (cpu and simulated)"), "\(error)")
        }
        XCTAssertEqual(try (host + device.to(.cpu)).scalars, [4, 6])
    }

    func testMovingIsDifferentiableAndExplicit() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        let before = Backends.simulated.counts
        let y = try (x.to(.simulated) * x.to(.simulated)).sum()
        XCTAssertEqual(y.device, .simulated)
        let gradients = try gradient(of: y, wrt: [x])
        XCTAssertEqual(gradients[0].device, .cpu)
        XCTAssertEqual(gradients[0].scalars, [2, 4, 6])
        let after = Backends.simulated.counts
        XCTAssertEqual(after.uploads - before.uploads, 2, "two to(.simulated)")
        XCTAssertEqual(after.downloads - before.downloads, 2, "two gradients moved back to the host")
    }

    func testAReaderWritesANewTensorsValuesOnceOnEitherDevice() throws {
        let host = try Tensor(shape: [2, 2]) { buffer in for index in buffer.indices { buffer[index] = Float(index) * 1.5 } }
        XCTAssertEqual(host.device, .cpu)
        XCTAssertEqual(host.scalars, [0, 1.5, 3, 4.5])
        let before = Backends.simulated.counts
        let device = try EngineConfiguration.withChanges({ $0.device = .simulated }) {
            try Tensor(shape: [3]) { buffer in buffer.update(repeating: 7) }
        }
        XCTAssertEqual(device.device, .simulated)
        XCTAssertEqual(Backends.simulated.counts.uploads - before.uploads, 1, "one staged upload")
        XCTAssertEqual(device.to(.cpu).scalars, [7, 7, 7])
        struct ReaderFailed: Error {}
        XCTAssertThrowsError(try Tensor(shape: [2]) { _ in throw ReaderFailed() }) { XCTAssertTrue($0 is ReaderFailed) }
        XCTAssertThrowsError(try Tensor(shape: [-1]) { _ in XCTFail("no buffer for an invalid shape") })
    }

    func testAVariableKeepsItsDevice() throws {
        let variable = EngineConfiguration.withChanges({ $0.device = .simulated }) { Variable(Tensor([1, 2]), name: "w") }
        XCTAssertEqual(variable.device, .simulated)
        try variable.assign(Tensor([5, 6]))  // a host value, e.g. loaded from a file
        XCTAssertEqual(variable.device, .simulated)
        XCTAssertEqual(variable.value.scalars, [5, 6])
    }

    /// A dense layer's training step (forward, fused loss, backward, Adam) with the data already on
    /// the simulated device: no element leaves or enters the device until the loss is read.
    func testATrainingStepOnTheSimulatedDeviceMakesOnlyTheTransfersItIsAskedFor() throws {
        try EngineConfiguration.withChanges({ $0.device = .simulated }) {
            var generator = RandomGenerator(seed: 7)
            let x = try Tensor.randomNormal([16, 6], generator: &generator)
            let labels = try Tensor(shape: [16], scalars: (0..<16).map { Float($0 % 3) })
            let weight = Variable(try Tensor.randomNormal([6, 3], generator: &generator), name: "kernel")
            let bias = Variable(try Tensor.zeros([3]), name: "bias")
            var slots = [weight, bias].map { [Tensor.zeros(like: $0.value), Tensor.zeros(like: $0.value)] }
            let rule = UpdateRule.adam(alpha: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false)
            var losses: [Float] = []
            for _ in 0..<20 {
                let before = Backends.simulated.counts
                let (loss, gradients) = try valueWithGradients(for: [weight, bias]) {
                    let logits = try Tensor.affine(x, weight: weight.tensor, bias: bias.tensor).relu()
                    return try logits.perSampleLoss(.sparseCategoricalCrossentropy(fromLogits: true), targets: labels).mean()
                }
                for (index, variable) in [weight, bias].enumerated() {
                    let result = try variable.value.updated(by: rule, gradient: gradients[index], slots: slots[index])
                    variable.replaceValue(with: result.parameter)
                    slots[index] = result.slots
                }
                let step = Backends.simulated.counts
                XCTAssertEqual(step.uploads, before.uploads, "a step uploads nothing")
                XCTAssertEqual(step.downloads, before.downloads, "a step downloads nothing")
                XCTAssertEqual(step.synchronisingReads - before.synchronisingReads, 1, "the label check reads one index back")
                losses.append(try XCTUnwrap(loss.scalar))
                XCTAssertEqual(Backends.simulated.counts.downloads, step.downloads + 1, "reading the loss is the one download")
            }
            XCTAssertEqual(weight.value.device, .simulated)
            XCTAssertLessThan(try XCTUnwrap(losses.last), losses[0] * 0.9, "the step trains: \(losses)")
        }
    }
}
