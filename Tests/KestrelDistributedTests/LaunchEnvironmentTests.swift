import XCTest
@testable import KestrelDistributed

final class LaunchEnvironmentTests: XCTestCase {
    func testNoLauncherMeansNoGroup() throws {
        XCTAssertNil(try LaunchEnvironment.detect(["PATH": "/bin"]))
    }

    func testOpenMPIVariablesGiveRankAndSize() throws {
        let launch = try LaunchEnvironment.detect(["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "4"])
        XCTAssertEqual(launch, LaunchEnvironment(rank: 1, size: 4, source: "OMPI_COMM_WORLD_RANK"))
    }

    func testRankOutsideTheGroupIsNamed() {
        XCTAssertThrowsError(try LaunchEnvironment.detect(["OMPI_COMM_WORLD_RANK": "4", "OMPI_COMM_WORLD_SIZE": "4"])) { error in
            XCTAssertTrue("\(error)".contains("OMPI_COMM_WORLD_RANK=4"), "\(error)")
        }
        XCTAssertThrowsError(try LaunchEnvironment.detect(["SLURM_PROCID": "0", "SLURM_NTASKS": "-3"])) { error in
            XCTAssertTrue("\(error)".contains("SLURM_NTASKS=-3"), "\(error)")
        }
    }
}
