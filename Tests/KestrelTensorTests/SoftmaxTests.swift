import XCTest
@testable import KestrelTensor

final class SoftmaxTests: XCTestCase {
    func testForwardValuesAndStability() throws {
        let logits = try Tensor(shape: [1, 3], scalars: [1000, 1000, 1000.693147])
        let probabilities = try logits.softmax().scalars
        for (value, expected) in zip(probabilities, [0.25, 0.25, 0.5] as [Float]) { XCTAssertEqual(value, expected, accuracy: 1e-4) }
        let logProbabilities = try logits.logSoftmax().scalars
        XCTAssertEqual(logProbabilities[2], Float(log(0.5)), accuracy: 1e-3)  // 1000.69 is only exact to ~6e-5 in Float32
    }

    func testSoftmaxAlongNonLastAxis() throws {
        let x = try Tensor(shape: [2, 2], scalars: [0, 5, 0, 5])
        XCTAssertEqual(try x.softmax(axis: 0).scalars, [0.5, 0.5, 0.5, 0.5])
    }

    func testGradientsOnEveryAxis() throws {
        let x = sampleTensor([2, 3, 4])
        for axis in [0, 1, -1] {
            try assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { x in
                try weightedSum(x[0].softmax(axis: axis)) + weightedSum(x[0].logSoftmax(axis: axis), seed: 4)
            }
        }
    }

    func testInvalidAxisThrows() {
        assertThrowsShape(try Tensor.zeros([2, 3]).softmax(axis: 2), ["axis 2", "[2, 3]"])
        assertThrowsShape(try Tensor.zeros([2, 3]).logSoftmax(axis: -3), ["axis -3"])
        assertThrowsShape(try Tensor(scalar: 2).softmax(), ["rank 0"])
    }
}
