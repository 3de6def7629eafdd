import XCTest
@testable import KestrelTensor

final class ShapeOperationTests: XCTestCase {
    private let grid = try! Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])

    func testForwardValues() throws {
        XCTAssertEqual(try grid.reshaped([3, -1]).shape, [3, 2])
        XCTAssertEqual(try grid.transposed().scalars, [0, 3, 1, 4, 2, 5])
        let cube = try Tensor(shape: [2, 2, 2], scalars: (0..<8).map(Float.init))
        XCTAssertEqual(try cube.permuted([2, 0, 1]).scalars, [0, 2, 4, 6, 1, 3, 5, 7])
        XCTAssertEqual(try grid.slice(rows: 1..<2).scalars, [3, 4, 5])
        XCTAssertEqual(try grid.gathering(rows: [1, 0, 1]).scalars, [3, 4, 5, 0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try Tensor.concatenate([grid, grid.slice(rows: 0..<1)]).shape, [3, 3])
        XCTAssertEqual(try Tensor.concatenate([grid, try Tensor.ones([2, 1])], axis: 1).scalars, [0, 1, 2, 1, 3, 4, 5, 1])
        XCTAssertEqual(try Tensor.zeros([4, 2, 3]).flattenedBatch().shape, [4, 6])
    }

    func testReshapePermuteTransposeGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 3, 4])]) { x in
            try weightedSum(x[0].reshaped([6, -1]).transposed()) + weightedSum(x[0].permuted([1, 2, 0]), seed: 3)
        }
    }

    /// A gather of 32 K floats or more is split between the threads; every row lands where it belongs,
    /// repeated and out-of-order indices included.
    func testLargeGatherSplitAcrossThreadsKeepsRowOrder() throws {
        let rows = 300, rowSize = 784
        let source = try Tensor(shape: [rows, rowSize], scalars: (0..<(rows * rowSize)).map { Float($0) })
        let indices = (0..<67).map { ($0 * 131 + 7) % rows } + [0, 0, rows - 1]
        try EngineConfiguration.withChanges({ $0.threadCount = 2 }) {
            let gathered = try source.gathering(rows: indices)
            XCTAssertEqual(gathered.shape, [indices.count, rowSize])
            let scalars = gathered.scalars
            for (position, row) in indices.enumerated() {
                XCTAssertEqual(Array(scalars[(position * rowSize)..<((position + 1) * rowSize)]),
                               (0..<rowSize).map { Float(row * rowSize + $0) }, "position \(position), row \(row)")
            }
        }
    }

    func testSliceGatherGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([4, 3])]) { x in
            try weightedSum(x[0].slice(rows: 1..<3)) + weightedSum(x[0].gathering(rows: [3, 0, 3, 2]), seed: 3)
        }
    }

    func testConcatenateGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 3]), sampleTensor([2, 2], seed: 2), sampleTensor([1, 3], seed: 3)]) { x in
            try weightedSum(Tensor.concatenate([x[0], x[1]], axis: 1)) + weightedSum(Tensor.concatenate([x[0], x[2]], axis: 0), seed: 4)
        }
    }

    func testWhereForwardAndGradients() throws {
        let condition = Tensor([1, 0, 1])
        let picked = try Tensor.where(condition, Tensor([1, 2, 3]), Tensor([-1, -2, -3]))
        XCTAssertEqual(picked.scalars, [1, -2, 3])
        // The branch not taken never leaks NaN or infinity.
        let guarded = try Tensor.where(Tensor([1, 0]), Tensor([2, -1]).log(), Tensor(scalar: 0))
        XCTAssertEqual(guarded.scalars, [Float(log(2.0)), 0])
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 3]), sampleTensor([3], seed: 2)]) { x in
            try weightedSum(Tensor.where(try x[0].greater(Tensor(scalar: 0)), x[0], x[1]))
        }
    }

    func testComparisons() throws {
        let a = Tensor([1, 2, 3]), b = Tensor(scalar: 2)
        XCTAssertEqual(try a.greater(b).scalars, [0, 0, 1])
        XCTAssertEqual(try a.greaterEqual(b).scalars, [0, 1, 1])
        XCTAssertEqual(try a.less(b).scalars, [1, 0, 0])
        XCTAssertEqual(try a.lessEqual(b).scalars, [1, 1, 0])
        XCTAssertEqual(try a.equal(b).scalars, [0, 1, 0])
        XCTAssertEqual(try a.notEqual(b).scalars, [1, 0, 1])
        XCTAssertFalse(Tensor([1, .nan]).isFinite)
    }

    func testFirstNonFiniteIndexFindsTheFirstBadValueAnywhere() throws {
        let count = 1_300_007  // several parallel chunks and a tail shorter than one vector
        for (positions, expected) in [([], nil), ([count - 1], count - 1), ([5], 5), ([900_001, 400_003], 400_003),
                                      ([1_299_999, 700_000], 700_000)] as [([Int], Int?)] {
            var values = [Float](repeating: 0.5, count: count)
            for (order, position) in positions.enumerated() { values[position] = [Float.nan, .infinity, -.infinity][order % 3] }
            let tensor = try Tensor(shape: [count], scalars: values)
            XCTAssertEqual(tensor.firstNonFiniteIndex(), expected, "bad values at \(positions)")
            XCTAssertEqual(tensor.isFinite, expected == nil)
        }
        XCTAssertEqual(Tensor([.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0]).firstNonFiniteIndex(), nil)
    }

    func testSliceSharesStorageAndKeepsItAlive() throws {
        var slice: Tensor
        do {
            let base = try Tensor(shape: [4, 2], scalars: (0..<8).map(Float.init))
            slice = try base.slice(rows: 1..<3)
            XCTAssertEqual((slice.storage as? TensorBuffer)?.pointer, (base.storage as? TensorBuffer).map { $0.pointer + 2 })
        }
        _ = try Tensor.zeros([4, 2])  // would reuse the base's block if the slice had not kept it alive
        XCTAssertEqual(slice.scalars, [2, 3, 4, 5])
        XCTAssertEqual(try slice.slice(rows: 1..<2).scalars, [4, 5])
        XCTAssertEqual(try grid.slice(rows: 2..<2).shape, [0, 3])
    }

    func testErrorsNameTheShapes() {
        assertThrowsShape(try grid.reshaped([4, 2]), ["[2, 3]", "[4, 2]"])
        assertThrowsShape(try grid.reshaped([-1, -1]), ["[-1, -1]"])
        assertThrowsShape(try grid.reshaped([4, -1]), ["[2, 3]", "[4, -1]"])
        assertThrowsShape(try grid.permuted([0, 0]), ["[0, 0]", "[2, 3]"])
        assertThrowsShape(try Tensor([1, 2]).transposed(), ["[2]"])
        assertThrowsShape(try grid.slice(rows: 1..<5), ["[2, 3]"])
        assertThrowsShape(try grid.gathering(rows: [0, 2]), ["2", "[2, 3]"])
        assertThrowsShape(try Tensor.concatenate([grid, try Tensor.zeros([2, 2])]), ["[2, 3]", "[2, 2]"])
        assertThrowsShape(try Tensor.concatenate([grid], axis: 2), ["axis 2"])
        assertThrowsShape(try Tensor.concatenate([Tensor(scalar: 1), Tensor(scalar: 2)]), ["[]"])
        assertThrowsShape(try Tensor.where(Tensor([1, 0]), Tensor([1, 2, 3]), Tensor(scalar: 0)), ["[2]", "[3]"])
        assertThrowsShape(try Tensor.zeros([2]).greater(try Tensor.zeros([3])), ["[2]", "[3]"])
    }
}
