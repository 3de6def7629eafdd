import XCTest
@testable import Kestrel

/// The line a plain `fit` prints under an MPI launcher of several processes (rank 0 only).
final class MultiProcessLaunchNoticeTests: XCTestCase {
    func testRankZeroOfSeveralIsToldEachRankTrainsAlone() throws {
        let text = try XCTUnwrap(MultiProcessLaunchNotice.message(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "4"]))
        XCTAssertTrue(text.hasPrefix("Kestrel: this process is rank 0 of 4 (OMPI_COMM_WORLD_SIZE=4)"), text)
        XCTAssertTrue(text.contains("distribution: .dataParallel()") && text.contains("KESTREL_INDEPENDENT_RANKS=1"), text)
        XCTAssertNotNil(MultiProcessLaunchNotice.message(["PMI_RANK": "0", "PMI_SIZE": "2"]))
    }

    func testNoNoticeAloneOnOtherRanksOrWhenSilenced() {
        XCTAssertNil(MultiProcessLaunchNotice.message(["PATH": "/bin"]))
        XCTAssertNil(MultiProcessLaunchNotice.message(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "1"]))
        XCTAssertNil(MultiProcessLaunchNotice.message(["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"]))
        XCTAssertNil(MultiProcessLaunchNotice.message(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "2",
                                                       "KESTREL_INDEPENDENT_RANKS": "1"]))
        // A Slurm allocation of several tasks running one process is not a group of ranks.
        XCTAssertNil(MultiProcessLaunchNotice.message(["SLURM_PROCID": "0", "SLURM_NTASKS": "4"]))
    }
}
