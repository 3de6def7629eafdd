import XCTest
@testable import KestrelTensor

final class MatmulTests: XCTestCase {
    func testForwardValues() throws {
        let a = try Tensor([[1, 2], [3, 4]]), b = try Tensor([[5, 6], [7, 8]])
        XCTAssertEqual(try a.matmul(b).scalars, [19, 22, 43, 50])
        let batched = try Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]).matmul(Tensor(shape: [2, 2, 1], scalars: [1, 1, 2, 0]))
        XCTAssertEqual(batched.shape, [2, 1, 1])
        XCTAssertEqual(batched.scalars, [3, 6])
        let affine = try Tensor.affine(a, weight: b, bias: Tensor([1, -1]))
        XCTAssertEqual(affine.scalars, [20, 21, 44, 49])
    }

    func testEmptyInnerDimensionGivesZeros() throws {
        let product = try Tensor.zeros([3, 0]).matmul(try Tensor.zeros([0, 4]))
        XCTAssertEqual(product.shape, [3, 4])
        XCTAssertEqual(product.scalars, [Float](repeating: 0, count: 12))
    }

    func testMatrixGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([3, 4]), sampleTensor([4, 2], seed: 2)]) { x in
            try weightedSum(x[0].matmul(x[1]))
        }
    }

    func testBatchedGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 3, 4]), sampleTensor([2, 4, 2], seed: 2)]) { x in
            try weightedSum(x[0].matmul(x[1]))
        }
    }

    func testRankThreeTimesMatrixGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 3, 4]), sampleTensor([4, 5], seed: 2)]) { x in
            try weightedSum(x[0].matmul(x[1]))
        }
    }

    func testAffineGradientsWithAndWithoutBias() throws {
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([5, 3]), sampleTensor([3, 4], seed: 2), sampleTensor([4], seed: 3)]) { x in
            try weightedSum(Tensor.affine(x[0], weight: x[1], bias: x[2]))
        }
        try assertGradientsMatchFiniteDifferences([sampleTensor([5, 3]), sampleTensor([3, 4], seed: 2)]) { x in
            try weightedSum(Tensor.affine(x[0], weight: x[1], bias: nil))
        }
    }

    func testShapeErrorsNameTheShapes() {
        assertThrowsShape(try Tensor.zeros([2, 3]).matmul(try Tensor.zeros([4, 5])), ["[2, 3]", "[4, 5]"])
        assertThrowsShape(try Tensor.zeros([3]).matmul(try Tensor.zeros([3, 5])), ["[3]", "[3, 5]"])
        assertThrowsShape(try Tensor.zeros([2, 2, 3]).matmul(try Tensor.zeros([3, 3, 4])), ["[2, 2, 3]", "[3, 3, 4]"])
        assertThrowsShape(try Tensor.affine(try Tensor.zeros([2, 3]), weight: try Tensor.zeros([4, 5]), bias: nil), ["[2, 3]", "[4, 5]"])
        assertThrowsShape(try Tensor.affine(try Tensor.zeros([2, 3]), weight: try Tensor.zeros([3, 5]), bias: try Tensor.zeros([4])), ["[4]", "[5]"])
    }
}
