import XCTest
@testable import KestrelDiagnostics

final class OverfittingDetectorTests: XCTestCase {
    func testReportsOnceAtTheFirstOverfittingEpoch() {
        let log = SyntheticLogs.overfitting()
        let detector = OverfittingDetector()
        var reports: [Int] = []
        for row in 0..<log.count {
            var logs: [String: Double] = [:]
            for name in log.metricNames { logs[name] = log.values(name)?[row] }
            if detector.update(epoch: log.epochs[row], logs: logs) != nil { reports.append(row) }
        }
        // val_loss is lowest at index 5 and rises 0.06 per epoch: the smoothed rise needs
        // 3 epochs after the minimum and 5 % of 0.75 — first met at index 8.
        XCTAssertEqual(reports, [8])
        XCTAssertEqual(detector.detection?.verdict, .overfitting)
        XCTAssertEqual(detector.log.count, log.count)
        let line = OverfittingDetector.warningLine(for: detector.detection!)
        XCTAssertTrue(line.hasPrefix("Overfitting detected at epoch 9: val_loss rose from 0.750 at epoch 6"), line)
        detector.reset()
        XCTAssertNil(detector.detection)
        XCTAssertTrue(detector.log.isEmpty)
    }

    func testGoodRunNeverReports() {
        let log = SyntheticLogs.goodFit(noise: 0.012)
        let detector = OverfittingDetector()
        for row in 0..<log.count {
            XCTAssertNil(detector.update(epoch: row, logs: ["loss": log.values("loss")![row], "val_loss": log.values("val_loss")![row]]))
        }
        XCTAssertFalse(detector.hasDetectedOverfitting)
    }
}
