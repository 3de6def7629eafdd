import XCTest
@testable import Kestrel

/// Saving and restoring optimizer state, as a checkpoint does.
final class OptimizerStateRestoreTests: XCTestCase {
    func testRestoredAdamContinuesExactlyLikeTheOriginal() throws {
        let original = try Adam(learningRate: 0.05)
        let a = Variable(Tensor([0.5, -0.25]), name: "w")
        for step in 0..<3 { try original.apply(gradients: [Tensor([Float(step) + 0.5, -1])], to: [a]) }

        let resumed = try Adam(learningRate: 0.05)
        let b = Variable(a.value.copy(), name: "w")
        try resumed.restoreState(iterations: original.iterations, slots: [(b, original.slotTensors(for: a))])
        try original.apply(gradients: [Tensor([0.3, 0.7])], to: [a])
        try resumed.apply(gradients: [Tensor([0.3, 0.7])], to: [b])
        XCTAssertEqual(a.value.scalars, b.value.scalars)
        XCTAssertEqual(resumed.iterations, 4)
    }

    func testRestoreRejectsWrongSlots() throws {
        let optimizer = try Adam()
        let variable = Variable(Tensor([1, 2]), name: "w")
        XCTAssertThrowsError(try optimizer.restoreState(iterations: 1, slots: [(variable, [Tensor([0, 0])])]))
        XCTAssertThrowsError(try optimizer.restoreState(iterations: 1, slots: [(variable, [Tensor([0]), Tensor([0])])]))
        XCTAssertThrowsError(try optimizer.restoreState(iterations: -1, slots: []))
    }
}
