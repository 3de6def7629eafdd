import XCTest
@testable import KestrelTensor

/// `Tensor.update(by:gradient:slots:)`: the optimizer step rewrites a parameter and its slots in place
/// when nothing else holds their storage, with the very values `updated(by:gradient:slots:)` returns,
/// on every backend; storage held elsewhere (a copy, a view) is never changed; and values derived from
/// rewritten storage (cached Winograd kernels) are not served again.
final class InPlaceUpdateTests: XCTestCase {
    private let rules = UpdateRule.testCases

    /// Values in [0.01, 1) (positive, so that every rule's second moments stay valid) or in [-1, 1).
    private func values(_ count: Int, seed: UInt64, positive: Bool = false) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            let value = generator.nextUniform()
            return positive ? 0.01 + value * 0.99 : value * 2 - 1
        }
    }

    private func tensor(_ scalars: [Float], on device: Device) throws -> Tensor {
        try EngineConfiguration.withChanges({ $0.device = device }) { try Tensor(shape: [scalars.count], scalars: scalars) }
    }

    private func identity(_ tensor: Tensor) -> ObjectIdentifier { ObjectIdentifier(tensor.storage) }

    private func assertBitIdentical(_ actual: Tensor, _ expected: Tensor, _ message: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), message, file: file, line: line)
    }

    /// Every rule, on the CPU (several threads: more than two blocks of `updateElementsPerThread`), the
    /// reference and the simulated device: rewritten in place (the same storage) with the values of the
    /// out-of-place update, bit for bit, for the parameter and each slot, two steps in a row.
    func testInPlaceUpdateGivesTheOutOfPlaceValuesOnEveryBackend() throws {
        for device in [Device.cpu, .reference, .simulated] {
            let count = device == .cpu ? CPUBackend.updateElementsPerThread * 2 + 13 : 1003
            for rule in rules {
                let start = values(count, seed: 1)
                let slotValues = (0..<rule.slotCount).map { values(count, seed: 10 + UInt64($0), positive: true) }
                var expected = try tensor(start, on: device)
                var expectedSlots = try slotValues.map { try tensor($0, on: device) }
                var parameter = try tensor(start, on: device)
                var slots = try slotValues.map { try tensor($0, on: device) }
                let identities = [identity(parameter)] + slots.map(identity)
                for step in 1...2 {
                    let gradient = try tensor(values(count, seed: 20 + UInt64(step)), on: device)
                    (expected, expectedSlots) = try expected.updated(by: rule, gradient: gradient, slots: expectedSlots)
                    try parameter.update(by: rule, gradient: gradient, slots: &slots)
                    let label = "\(rule) on \(device), step \(step)"
                    XCTAssertEqual([identity(parameter)] + slots.map(identity), identities, "\(label): rewritten in place")
                    assertBitIdentical(parameter, expected, "\(label): parameter")
                    for (index, (slot, expectedSlot)) in zip(slots, expectedSlots).enumerated() {
                        assertBitIdentical(slot, expectedSlot, "\(label): slot \(index)")
                    }
                }
            }
        }
    }

    /// A copy of the parameter or of a slot taken before the step keeps its values, and the step makes
    /// new storage for it (value semantics), with the same results as the out-of-place update.
    func testStorageHeldElsewhereIsNotChanged() throws {
        let rule = UpdateRule.adam(alpha: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false)
        for device in [Device.cpu, .reference, .simulated] {
            let start = values(37, seed: 3), moments = [values(37, seed: 4), values(37, seed: 5, positive: true)]
            let gradient = try tensor(values(37, seed: 6), on: device)
            let expected = try tensor(start, on: device).updated(by: rule, gradient: gradient,
                                                                 slots: try moments.map { try tensor($0, on: device) })
            for heldSlot in [nil, 0, 1] {
                var parameter = try tensor(start, on: device)
                var slots = try moments.map { try tensor($0, on: device) }
                let held = heldSlot.map { slots[$0] } ?? parameter
                let heldIdentity = identity(held)
                try parameter.update(by: rule, gradient: gradient, slots: &slots)
                let label = "\(device), holding \(heldSlot.map { "slot \($0)" } ?? "the parameter")"
                XCTAssertEqual(held.scalars, heldSlot.map { moments[$0] } ?? start, "\(label): the held copy keeps its values")
                let replaced = heldSlot.map { slots[$0] } ?? parameter
                XCTAssertNotEqual(identity(replaced), heldIdentity, "\(label): new storage")
                assertBitIdentical(parameter, expected.parameter, "\(label): parameter")
                for index in 0..<2 { assertBitIdentical(slots[index], expected.slots[index], "\(label): slot \(index)") }
            }
        }
    }

    /// A row slice shares the parameter's memory: once a view was made, the parameter is updated into
    /// new storage and the view keeps the old values (on the simulated device the view holds the private
    /// block, not the tensor's storage object, so only the buffer's own record of its views tells).
    func testAViewedParameterIsNotRewritten() throws {
        let rule = UpdateRule.sgd(learningRate: 0.5, momentum: 0, nesterov: false)
        for device in [Device.cpu, .reference, .simulated] {
            let start = values(12, seed: 7)
            var parameter = try EngineConfiguration.withChanges({ $0.device = device }) {
                try Tensor(shape: [3, 4], scalars: start)
            }
            let view = try parameter.slice(rows: 1..<2)
            let gradient = try EngineConfiguration.withChanges({ $0.device = device }) { try Tensor(shape: [3, 4], scalars: values(12, seed: 8)) }
            var none: [Tensor] = []
            try parameter.update(by: rule, gradient: gradient, slots: &none)
            XCTAssertEqual(view.scalars, Array(start[4..<8]), "\(device): the view keeps its values")
            XCTAssertEqual(parameter.scalars, zip(start, gradient.scalars).map { $0 - $1 * 0.5 }, "\(device): the new values")
        }
    }

    /// Mismatched operands throw before anything is written.
    func testMismatchedOperandsThrowWithoutWriting() throws {
        let rule = UpdateRule.adam(alpha: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false)
        var parameter = Tensor([1, 2, 3])
        var slots = [Tensor([0, 0, 0]), Tensor([1])]
        XCTAssertThrowsError(try parameter.update(by: rule, gradient: Tensor([1, 1, 1]), slots: &slots))
        var tooFew = [Tensor([0, 0, 0])]
        XCTAssertThrowsError(try parameter.update(by: rule, gradient: Tensor([1, 1, 1]), slots: &tooFew))
        var good = [Tensor([0, 0, 0]), Tensor([1, 1, 1])]
        XCTAssertThrowsError(try parameter.update(by: rule, gradient: Tensor([1, 1]), slots: &good))
        XCTAssertEqual(parameter.scalars, [1, 2, 3])
        XCTAssertEqual(good[0].scalars, [0, 0, 0])
        XCTAssertEqual(slots[0].scalars, [0, 0, 0])
    }

    /// An in-place rewrite gives the buffer a new content version (the Winograd cache's key), later than
    /// that of any buffer made before the rewrite.
    func testRewritingGivesANewContentVersion() {
        let buffer = TensorBuffer(count: 4)
        let before = buffer.contentVersion
        let later = TensorBuffer(count: 4).contentVersion
        XCTAssertGreaterThan(later, before)
        buffer.markRewritten()
        XCTAssertGreaterThan(buffer.contentVersion, later)
        XCTAssertTrue(buffer.ownsItsMemoryAlone)
        _ = TensorBuffer(viewing: buffer, offset: 1, count: 2)
        XCTAssertFalse(buffer.ownsItsMemoryAlone, "a buffer once viewed is never rewritten in place")
    }

    /// Forward-only Winograd convolutions cache the transformed kernel (no backward pass takes it out);
    /// after the kernel is updated in place (same address, same buffer) the next forward pass uses the
    /// new weights, not the cached transform of the old ones.
    func testAnInPlaceUpdateIsNotServedAStaleWinogradKernel() throws {
        let input = sampleTensor([2, 6, 7, 6], seed: 1)
        var kernel = sampleTensor([3, 3, 6, 5], seed: 2)
        func forward(_ filter: Tensor) throws -> Tensor {
            try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = .winograd4x4 }) {
                try Tensor.conv2d(input, filter: filter, padding: .same)
            }
        }
        let kernelIdentity = identity(kernel)
        for step in 0..<3 {
            _ = try forward(kernel)  // caches the transform of the current values
            let gradient = sampleTensor(kernel.shape, seed: 30 + UInt64(step))
            var none: [Tensor] = []
            try kernel.update(by: .sgd(learningRate: 0.5, momentum: 0, nesterov: false), gradient: gradient, slots: &none)
            XCTAssertEqual(identity(kernel), kernelIdentity, "step \(step): updated in place")
            let fresh = try Tensor(shape: kernel.shape, scalars: kernel.scalars)  // the same values in new storage
            XCTAssertEqual(try forward(kernel).scalars, try forward(fresh).scalars, "step \(step): the new weights' output")
        }
    }
}
