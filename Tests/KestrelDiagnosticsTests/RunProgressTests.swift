import XCTest
import KestrelDiagnostics

/// `RunProgress`: "Run k/N" and the overall ETA from the finished runs' mean duration (durations given, not timed).
final class RunProgressTests: XCTestCase {
    func testRunLinesAndOverallETA() {
        var progress = RunProgress(total: 4)
        XCTAssertEqual(progress.begin("seed 42"), "Run 1/4 (seed 42)")
        progress.end(seconds: 10)
        XCTAssertEqual(progress.begin("seed 43"), "Run 2/4 (seed 43) · 1 done in 10.0 s (10.0 s each) · overall ETA 30 s")
        progress.end(seconds: 20)
        XCTAssertEqual(progress.remainingSeconds, 30)
        XCTAssertEqual(progress.begin(), "Run 3/4 · 2 done in 30.0 s (15.0 s each) · overall ETA 30 s")
        XCTAssertEqual(RunProgress.duration(185), "3 min 05 s")
        XCTAssertEqual(RunProgress.duration(3720), "1 h 02 min")
        XCTAssertEqual(RunProgress.duration(.nan), "0 s")
    }
}
