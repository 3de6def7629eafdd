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

    func testRunsOfUnequalSizeScaleTheETAByTheirWork() {
        // 5 then 40 epochs: after the 5-epoch run took 10 s, the 40-epoch run needs about 80 s, not 10 s.
        var progress = RunProgress(work: [5, 40])
        XCTAssertEqual(progress.begin("5 epochs"), "Run 1/2 (5 epochs)")
        progress.end(seconds: 10)
        XCTAssertEqual(progress.remainingSeconds, 80)
        XCTAssertEqual(progress.begin("40 epochs"), "Run 2/2 (40 epochs) · 1 done in 10.0 s (10.0 s each) · overall ETA 1 min 20 s")
        progress.end(seconds: 85)
        XCTAssertEqual(progress.remainingSeconds, 0)
        XCTAssertEqual(RunProgress(work: []).total, 1)
    }
}
