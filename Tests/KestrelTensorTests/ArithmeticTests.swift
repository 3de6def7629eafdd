import XCTest
@testable import KestrelTensor

final class ArithmeticTests: XCTestCase {
    func testBroadcastForwardValues() throws {
        let column = try Tensor(shape: [2, 1], scalars: [1, 2]), row = Tensor([10, 20, 30])
        XCTAssertEqual(try (column + row).scalars, [11, 21, 31, 12, 22, 32])
        XCTAssertEqual(try (column * row).shape, [2, 3])
        XCTAssertEqual(try (row - Tensor(scalar: 1)).scalars, [9, 19, 29])
        XCTAssertEqual(try (Tensor(scalar: 60) / row).scalars, [6, 3, 2])
        XCTAssertEqual((2 - row).scalars, [-8, -18, -28])
        XCTAssertEqual((row / 10).scalars, [1, 2, 3])
        XCTAssertEqual((-row).scalars, [-10, -20, -30])
    }

    func testAddSubtractGradientsWithBroadcasting() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 3, 4]), sampleTensor([3, 1], seed: 2)]) { x in
            try weightedSum(x[0] + x[1]) + weightedSum(x[1] - x[0], seed: 7)
        }
    }

    func testMultiplyDivideGradientsWithBroadcasting() throws {
        let positive = sampleTensor([1, 4], seed: 3).mapped { Swift.abs($0) + 0.5 }
        try assertGradientsMatchFiniteDifferences([sampleTensor([3, 4]), positive]) { x in
            try weightedSum(x[0] * x[1]) + weightedSum(x[0] / x[1], seed: 5) + weightedSum(x[1] / x[0].squared().addingScalar(1), seed: 6)
        }
    }

    func testRankZeroOperandGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 3]), Tensor(scalar: 0.7)]) { x in
            try weightedSum(x[0] * x[1] - x[1])
        }
    }

    func testScalarOperatorGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([3, 2])]) { x in
            try weightedSum((3 * x[0] + 1) - (2 - x[0]) / 4 + (-x[0]) * 0.5)
        }
    }

    func testMaximumMinimumForwardAndGradients() throws {
        let a = Tensor([1, 5, -2]), b = Tensor([3, 2, -2])
        XCTAssertEqual(try a.maximum(b).scalars, [3, 5, -2])
        XCTAssertEqual(try a.minimum(b).scalars, [1, 2, -2])
        // Keep operands apart so finite differences never cross a tie.
        let first = try Tensor(shape: [2, 3], scalars: [0.1, 0.9, -0.5, 0.6, -0.8, 0.3])
        let second = Tensor([0.5, 0.2, -0.1])
        try assertGradientsMatchFiniteDifferences([first, second]) { x in
            try weightedSum(x[0].maximum(x[1])) + weightedSum(x[0].minimum(x[1]), seed: 4)
        }
    }

    func testIncompatibleShapesThrowNamingBoth() {
        for operation in [{ try $0 + $1 }, { try $0 - $1 }, { try $0 * $1 }, { try $0 / $1 },
                          { try $0.maximum($1) }, { try $0.minimum($1) }] as [(Tensor, Tensor) throws -> Tensor] {
            assertThrowsShape(try operation(try Tensor.zeros([2, 3]), try Tensor.zeros([2, 4])), ["[2, 3]", "[2, 4]"])
        }
    }
}
