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
        // val_loss is lowest at index 5 and rises 0.06 per epoch: its 3-epoch moving median is at least
        // 5 % above its lowest (0.81 at indices 5–6) for 3 epochs only at index 9; but the accuracy gap
        // (0.78 − 0.728 at index 6, then wider) has been ≥ 0.05 for 3 epochs at index 8, which decides.
        XCTAssertEqual(reports, [8])
        XCTAssertEqual(detector.detection?.verdict, .overfitting)
        XCTAssertEqual(detector.log.count, log.count)
        let line = OverfittingDetector.warningLine(for: detector.detection!)
        XCTAssertTrue(line.hasPrefix("Overfitting detected at epoch 9: The accuracy gap (accuracy − val_accuracy) is 0.116 at epoch 9 (0.840 vs 0.724), at least 0.050 for the last 3 epochs"), line)
        detector.reset()
        XCTAssertNil(detector.detection)
        XCTAssertTrue(detector.log.isEmpty)
    }

    func testRealKerasRunIsCaughtByTheAccuracyGapFirst() throws {
        let log = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_csvlogger_overfit.csv"))
        let detector = OverfittingDetector()
        var detectedAt: Int?
        for row in 0..<log.count {
            var logs: [String: Double] = [:]
            for name in log.metricNames { logs[name] = log.values(name)?[row] }
            if detector.update(epoch: row, logs: logs) != nil, detectedAt == nil { detectedAt = row }
        }
        // Gaps 0.085, 0.183, 0.245 at indices 1–3: three epochs ≥ 0.05 by index 3 (epoch 4),
        // the first epoch whose val_loss (0.896) is above its best (0.795 at epoch 3).
        XCTAssertEqual(detectedAt, 3)
        XCTAssertEqual(detector.detection?.overfittingOnsetEpoch, 1)
        XCTAssertEqual(detector.latestDiagnosis?.epochCount, 30)
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
