import XCTest
@testable import KestrelTensor

/// Differential tests: every kernel behind `KernelBackend` gives, on random shapes and values, what
/// the plain `ReferenceBackend` (loops in Double) gives, within Float rounding.
final class BackendDifferentialTests: XCTestCase {
    private var generator = RandomGenerator(seed: 2026)

    private func randomTensor(_ shape: [Int], scale: Float = 1, positive: Bool = false) throws -> Tensor {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ -> Float in
            let value = (generator.nextUniform() * 2 - 1) * scale
            return positive ? abs(value) : value
        }
        return try Tensor(shape: shape, scalars: values)
    }

    /// Random shapes of rank 1–4, including sizes above the CPU backend's per-thread split.
    private func randomShapes() -> [[Int]] {
        var shapes: [[Int]] = [[1], [7]]
        for _ in 0..<6 {
            let rank = 1 + Int(generator.nextUniform() * 4) % 4
            shapes.append((0..<rank).map { _ in 1 + Int(generator.nextUniform() * 9) })
        }
        return shapes
    }

    private func assertClose(_ actual: Tensor, _ expected: Tensor, _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, message, file: file, line: line)
        var worst: Float = 0
        for (index, (a, e)) in zip(actual.scalars, expected.scalars).enumerated() {
            guard a.isNaN == e.isNaN else { return XCTFail("\(message): element \(index) is \(a), reference \(e)", file: file, line: line) }
            if !a.isNaN { worst = max(worst, abs(a - e) / max(1, abs(e))) }
        }
        XCTAssertLessThan(worst, 1e-6, message, file: file, line: line)
    }

    private let rules = UpdateRule.testCases

    func testOptimizerUpdatesMatchTheReference() throws {
        let split = [CPUBackend.updateElementsPerThread * 2 + 13]  // runs on several threads
        for shape in randomShapes() + [split] {
            for rule in shape == split ? [rules[2], rules[4]] : rules {
                let parameter = try randomTensor(shape), gradient = try randomTensor(shape, scale: 0.5)
                // Second-moment slots are positive and not far below g² (centered RMSprop needs v ≥ ḡ²).
                let slots = try (0..<rule.slotCount).map { try randomTensor(shape, scale: $0 == 0 ? 1 : 0.1, positive: true) }
                let fast = try parameter.updated(by: rule, gradient: gradient, slots: slots)
                let plain = try parameter.to(.reference).updated(by: rule, gradient: gradient.to(.reference),
                                                                 slots: slots.map { $0.to(.reference) })
                let simulated = try parameter.to(.simulated).updated(by: rule, gradient: gradient.to(.simulated),
                                                                     slots: slots.map { $0.to(.simulated) })
                for (label, result) in [("cpu", fast), ("simulated", simulated)] {
                    assertClose(result.parameter, plain.parameter, "\(rule) parameter, shape \(shape) on \(label)")
                    XCTAssertEqual(result.slots.count, plain.slots.count)
                    for (index, (a, b)) in zip(result.slots, plain.slots).enumerated() {
                        assertClose(a, b, "\(rule) slot \(index), shape \(shape) on \(label)")
                    }
                }
            }
        }
    }
}
