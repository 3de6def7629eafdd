import XCTest
import KestrelDistributed

final class SweepShardTests: XCTestCase {
    func testSharesCoverEveryRunOnceAndDifferByAtMostOne() throws {
        for count in 1...5 {
            for runs in 0...12 {
                let shares = try (0..<count).map { try SweepShard(index: $0, count: count).runs(of: runs) }
                XCTAssertEqual(shares.flatMap { $0 }.sorted(), Array(0..<runs), "\(runs) runs in \(count) shares")
                XCTAssertLessThanOrEqual(shares.map(\.count).max()! - shares.map(\.count).min()!, 1)
            }
        }
        XCTAssertEqual(try SweepShard(parsing: "1/3").runs(of: 8), [1, 4, 7])
        XCTAssertEqual(SweepShard.whole.runs(of: 3), [0, 1, 2])
    }

    func testMalformedSharesAreRefusedWithTheForm() {
        for text in ["3/3", "-1/2", "1", "a/b", "1/0", "1/2/3", "", "/4"] {
            XCTAssertThrowsError(try SweepShard(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains("--shard") || "\(error)".contains("shard \(text)"), "\(error)")
            }
        }
    }

    func testSlurmJobArrayGivesTheShare() throws {
        XCTAssertNil(try SweepShard.fromSlurm([:]))
        XCTAssertEqual(try SweepShard.fromSlurm(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "3"]),
                       try SweepShard(index: 1, count: 3))
        XCTAssertEqual(try SweepShard.fromSlurm(["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"]), try SweepShard(index: 2, count: 4))
        XCTAssertThrowsError(try SweepShard.fromSlurm(["SLURM_ARRAY_TASK_ID": "2"])) { error in
            XCTAssertTrue("\(error)".contains("SLURM_ARRAY_TASK_COUNT"), "\(error)")
        }
        XCTAssertThrowsError(try SweepShard.fromSlurm(["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "4"])) { error in
            XCTAssertTrue("\(error)".contains("SLURM_ARRAY_TASK_ID=9") && "\(error)".contains("SLURM_ARRAY_TASK_COUNT=4"), "\(error)")
        }
        XCTAssertThrowsError(try SweepShard.fromSlurm(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "4"])) { error in
            XCTAssertTrue("\(error)".contains("is share -1"), "\(error)")
        }
        XCTAssertThrowsError(try SweepShard.fromSlurm(["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "4"]))
    }
}
