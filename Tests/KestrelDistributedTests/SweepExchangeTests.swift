import Foundation
import XCTest
@testable import KestrelDistributed

/// The byte exchange of a sweep: every rank's bytes on every rank, in rank order, exactly (odd
/// lengths, empty parts, every byte value), over ranks that are threads of this process.
final class SweepExchangeTests: XCTestCase {
    func testEveryRankGetsEveryRanksBytesInRankOrder() throws {
        let parts: [[UInt8]] = [Array(0...255), [], [7, 0, 255], Array(repeating: 0xAB, count: 1001)]
        let received = try InProcessGroup(size: 4).run { communicator in
            try SweepExchange.allgather(parts[communicator.rank], over: communicator, longestRunSeconds: 1, environment: [:])
        }
        XCTAssertEqual(received.count, 4)
        for (rank, seen) in received.enumerated() { XCTAssertEqual(seen, parts, "rank \(rank)") }
    }

    func testGatherCollectsOnRankZeroOnly() throws {
        let received = try InProcessGroup(size: 3).run { communicator in
            try SweepExchange.gather([UInt8(communicator.rank), 9], over: communicator, longestRunSeconds: 0, environment: [:])
        }
        XCTAssertEqual(received[0], [[0, 9], [1, 9], [2, 9]])
        XCTAssertNil(received[1])
        XCTAssertNil(received[2])
    }

    func testOneProcessGetsItsOwnBytes() throws {
        XCTAssertEqual(try SweepExchange.allgather([1, 2, 3], over: SingleProcessCommunicator(), longestRunSeconds: 0, environment: [:]), [[1, 2, 3]])
    }

    func testDamagedFramesAreRefused() {
        let frame = SweepExchange.frame([[1, 2], [3]])
        XCTAssertEqual(try SweepExchange.unframe(frame, ranks: 2, rank: 0), [[1, 2], [3]])
        XCTAssertThrowsError(try SweepExchange.unframe(Array(frame.dropLast()), ranks: 2, rank: 0))
        XCTAssertThrowsError(try SweepExchange.unframe(frame, ranks: 3, rank: 0))
        var huge = frame
        huge[7] = 0xFF  // the first part claims 2⁵⁶ bytes
        XCTAssertThrowsError(try SweepExchange.unframe(huge, ranks: 2, rank: 0))
    }

    func testTheWaitGrowsWithTheLongestRunAndTheVariableWins() {
        XCTAssertEqual(SweepExchange.timeout(base: 60, longestRunSeconds: 30, environment: [:]), 360)
        XCTAssertEqual(SweepExchange.timeout(base: 60, longestRunSeconds: 0, environment: [:]), 24 * 3600)
        XCTAssertEqual(SweepExchange.timeout(base: 60, longestRunSeconds: 30, environment: ["KESTREL_SWEEP_TIMEOUT": "5"]), 5)
        XCTAssertEqual(SweepExchange.timeout(base: 60, longestRunSeconds: 30, environment: ["KESTREL_SWEEP_TIMEOUT": "nan"]), 360)
    }
}
