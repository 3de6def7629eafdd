import XCTest
@testable import KestrelTensor

final class CoreGradientTests: XCTestCase {
    func testBroadcastArithmeticGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([3, 4]), sampleTensor([4], seed: 2)]) { x in
            try ((x[0] * x[1]) + x[1] - x[0] / (x[1].squared() + 1)).sum()
        }
    }

    func testAffineAndSoftmaxGradients() throws {
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([5, 3]), sampleTensor([3, 4], seed: 3), sampleTensor([4], seed: 4)]) { x in
            let logits = try Tensor.affine(x[0], weight: x[1], bias: x[2])
            return try (logits.softmax() * logits.logSoftmax()).sum()
        }
    }

    func testVariableGradientsThroughTape() throws {
        let weight = Variable(try Tensor(shape: [2], scalars: [2, -3]), name: "w")
        let x = try Tensor(shape: [2], scalars: [5, 7])
        let (value, gradients) = try valueWithGradients(for: [weight]) { try (weight.tensor * x).sum() }
        XCTAssertEqual(value.scalar, 2 * 5 - 3 * 7)
        XCTAssertEqual(gradients[0].scalars, [5, 7])
    }

    func testBroadcastShapeErrorNamesShapes() {
        XCTAssertThrowsError(try Tensor.zeros([2, 3]) + Tensor.zeros([4])) { error in
            XCTAssertTrue("\(error)".contains("[2, 3]") && "\(error)".contains("[4]"))
        }
    }
}
