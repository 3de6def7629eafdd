import XCTest
@testable import KestrelTensor

final class UnaryMathTests: XCTestCase {
    /// Values in [0.3, 1.3): positive and away from the kinks of abs/relu/clipped.
    private let positive = sampleTensor([2, 3], seed: 11).mapped { ($0 + 1) / 2 + 0.3 }
    /// Values of both signs, at least 0.1 away from 0.
    private let signed = try! Tensor(shape: [2, 3], scalars: [-0.9, -0.4, -0.15, 0.2, 0.55, 1.1])

    func testForwardValues() throws {
        let x = Tensor([-1, 0, 4])
        XCTAssertEqual(x.relu().scalars, [0, 0, 4])
        XCTAssertEqual(x.abs().scalars, [1, 0, 4])
        XCTAssertEqual(x.squared().scalars, [1, 0, 16])
        XCTAssertEqual(x.clipped(lower: -0.5, upper: 2).scalars, [-0.5, 0, 2])
        XCTAssertEqual(Tensor([4, 9]).sqrt().scalars, [2, 3])
        XCTAssertEqual(Tensor([2, 3]).pow(3).scalars, [8, 27])
        XCTAssertEqual(Tensor([0]).exp().scalars, [1])
        XCTAssertEqual(Tensor([1]).log().scalars, [0])
        XCTAssertEqual(Tensor([0]).sigmoid().scalars, [0.5])
        XCTAssertEqual(Tensor([0]).tanh().scalars, [0])
        XCTAssertEqual(Tensor([-30, 30]).sigmoid().scalars[0], 0, accuracy: 1e-6)
    }

    func testExpLogSqrtPowGradients() throws {
        try assertGradientsMatchFiniteDifferences([positive], epsilon: 1e-3) { x in
            try weightedSum(x[0].exp()) + weightedSum(x[0].log(), seed: 2) + weightedSum(x[0].sqrt(), seed: 3)
                + weightedSum(x[0].pow(2.5), seed: 4) + weightedSum(x[0].pow(-1), seed: 5)
        }
    }

    func testPiecewiseGradients() throws {
        try assertGradientsMatchFiniteDifferences([signed], epsilon: 1e-3) { x in
            try weightedSum(x[0].abs()) + weightedSum(x[0].relu(), seed: 2) + weightedSum(x[0].clipped(lower: -0.5, upper: 0.5), seed: 3)
        }
    }

    func testSmoothActivationGradients() throws {
        try assertGradientsMatchFiniteDifferences([signed], epsilon: 1e-3) { x in
            try weightedSum(x[0].sigmoid()) + weightedSum(x[0].tanh(), seed: 2) + weightedSum(x[0].squared(), seed: 3)
        }
    }
}
