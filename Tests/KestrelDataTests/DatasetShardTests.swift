import XCTest
import KestrelData

/// `Dataset.shard(count:index:)` follows `tf.data`'s `shard(num_shards, index)`: element i goes to shard i % count.
final class DatasetShardTests: XCTestCase {
    /// Ten elements whose x is their position 0…9.
    private func numbered(_ count: Int) throws -> Dataset {
        try Dataset(x: (0..<count).map(Float.init), xShape: [count, 1], y: (0..<count).map { Float($0 % 2) }, yShape: [count])
    }

    func testEachShardTakesEveryCountthElementStartingAtItsIndex() throws {
        let data = try numbered(10)
        // By hand: 0 3 6 9 | 1 4 7 | 2 5 8.
        XCTAssertEqual(try data.shard(count: 3, index: 0).collect().map { $0.x[0] }, [0, 3, 6, 9])
        XCTAssertEqual(try data.shard(count: 3, index: 1).collect().map { $0.x[0] }, [1, 4, 7])
        XCTAssertEqual(try data.shard(count: 3, index: 2).collect().map { $0.x[0] }, [2, 5, 8])
        XCTAssertEqual(try data.shard(count: 3, index: 0).cardinality, 4)
        XCTAssertEqual(try data.shard(count: 3, index: 1).cardinality, 3)
        XCTAssertEqual(try data.shard(count: 3, index: 2).cardinality, 3)
        XCTAssertEqual(try data.shard(count: 1, index: 0).collect().map { $0.x[0] }, (0..<10).map(Float.init))
    }

    func testMoreShardsThanElementsLeavesTheLastShardsEmpty() throws {
        let data = try numbered(2)
        XCTAssertEqual(try data.shard(count: 4, index: 1).collect().map { $0.x[0] }, [1])
        XCTAssertEqual(try data.shard(count: 4, index: 3).collect().count, 0)
        XCTAssertEqual(try data.shard(count: 4, index: 3).cardinality, 0)
    }

    func testShardingBeforeBatchingGivesBatchesOfTheShardsElements() throws {
        let batches = try numbered(10).shard(count: 2, index: 1).batch(2).collect()
        XCTAssertEqual(batches.map(\.x), [[1, 3], [5, 7], [9]])
        XCTAssertEqual(batches.map { $0.y }, [[1, 1], [1, 1], [1]])
    }

    func testInvalidCountOrIndexThrowsNamingTheArgument() throws {
        let data = try numbered(4)
        XCTAssertThrowsError(try data.shard(count: 0, index: 0)) { XCTAssertTrue("\($0)".contains("`count`"), "\($0)") }
        XCTAssertThrowsError(try data.shard(count: 2, index: 2)) { XCTAssertTrue("\($0)".contains("`index`"), "\($0)") }
        XCTAssertThrowsError(try data.shard(count: 2, index: -1)) { XCTAssertTrue("\($0)".contains("`index`"), "\($0)") }
    }
}
