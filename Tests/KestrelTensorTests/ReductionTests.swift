import XCTest
@testable import KestrelTensor

final class ReductionTests: XCTestCase {
    private let grid = try! Tensor(shape: [2, 3], scalars: [1, 6, 3, 4, 2, 5])

    func testL2NormIsTheSquareRootOfTheSumOfSquares() throws {
        XCTAssertEqual(try Tensor(shape: [3], scalars: [3, -4, 12]).l2Norm(), 13)
        XCTAssertEqual(try Tensor(shape: [2, 2], scalars: [-1, -1, -1, -1]).l2Norm(), 2)
        XCTAssertEqual(try Tensor.zeros([0]).l2Norm(), 0)
    }

    func testForwardValues() throws {
        XCTAssertEqual(try grid.sum().scalars, [21])
        XCTAssertEqual(try grid.sum().shape, [])
        XCTAssertEqual(try grid.sum(axes: [0]).scalars, [5, 8, 8])
        XCTAssertEqual(try grid.sum(axes: [-1], keepDims: true).shape, [2, 1])
        XCTAssertEqual(try grid.mean(axes: [1]).scalars[0], 10.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(try grid.mean(axes: [1]).scalars[1], 11.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(try grid.max(axes: [1]).scalars, [6, 5])
        XCTAssertEqual(try grid.min(axes: [0]).scalars, [1, 2, 3])
        XCTAssertEqual(try grid.argmax(axis: 1).scalars, [1, 2])
        XCTAssertEqual(try grid.argmaxIndices(), [1, 2])
        XCTAssertEqual(try grid.argmax(axis: 0, keepDims: true).shape, [1, 3])
    }

    func testSumMeanGradientsOverAxes() throws {
        let x = sampleTensor([2, 3, 4])
        for axes in [nil, [0], [1], [-1], [0, 2]] as [[Int]?] {
            for keepDims in [false, true] {
                try assertGradientsMatchFiniteDifferences([x]) { x in
                    try weightedSum(x[0].sum(axes: axes, keepDims: keepDims)) + weightedSum(x[0].mean(axes: axes, keepDims: keepDims), seed: 3)
                }
            }
        }
    }

    func testAdjacentAxesReduceTogether() throws {
        let x = sampleTensor([2, 3, 2, 4], seed: 8)
        let merged = try x.sum(axes: [1, 2], keepDims: true)
        let oneByOne = try x.sum(axes: [2], keepDims: true).sum(axes: [1], keepDims: true)
        XCTAssertEqual(merged.shape, [2, 1, 1, 4])
        XCTAssertLessThan(maxDifference(merged, oneByOne), 1e-5)
        XCTAssertEqual(try Tensor.arange(0, 1000).sum().scalar, 499_500)
        try assertGradientsMatchFiniteDifferences([x]) { x in
            try weightedSum(x[0].mean(axes: [1, 2])) + weightedSum(x[0].sum(axes: [0, 1], keepDims: true), seed: 2)
        }
    }

    func testMaxMinGradientsOverAxes() throws {
        // Distinct values spaced 0.05 apart: finite differences never change which element wins.
        var generator = RandomGenerator(seed: 4)
        let values = (0..<24).shuffled(using: &generator).map { Float($0) * 0.05 - 0.6 }
        let x = try Tensor(shape: [2, 3, 4], scalars: values)
        for axes in [nil, [1], [0, 2]] as [[Int]?] {
            for keepDims in [false, true] {
                try assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { x in
                    try weightedSum(x[0].max(axes: axes, keepDims: keepDims)) + weightedSum(x[0].min(axes: axes, keepDims: keepDims), seed: 3)
                }
            }
        }
    }

    func testInvalidAxesThrow() {
        assertThrowsShape(try grid.sum(axes: [2]), ["axis 2", "[2, 3]"])
        assertThrowsShape(try grid.mean(axes: [-3]), ["axis -3", "[2, 3]"])
        assertThrowsShape(try grid.max(axes: [0, 0]), ["[2, 3]"])
        assertThrowsShape(try grid.argmax(axis: 5), ["axis 5"])
        assertThrowsShape(try Tensor.zeros([2, 0]).max(axes: [1]), ["[2, 0]"])
        assertThrowsShape(try Tensor(scalar: 1).argmax(), ["rank 0"])
    }
}
