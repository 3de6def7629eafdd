import XCTest
@testable import KestrelDiagnostics

final class MultiRunAnalyzerTests: XCTestCase {
    func testBandsWithRunsOfDifferentLengths() throws {
        let a = SyntheticLogs.log(["loss": [1.0, 0.75, 0.5]])
        let b = SyntheticLogs.log(["loss": [3.0, 0.25]])
        let band = MetricBand(metric: "loss", logs: [a, b])
        XCTAssertEqual(band.mean, [2.0, 0.5, 0.5])
        XCTAssertEqual(band.runCounts, [2, 2, 1])
        XCTAssertEqual(band.standardDeviation[0], 2.0.squareRoot(), accuracy: 1e-12)   // values 1 and 3
        XCTAssertEqual(band.standardDeviation[2], 0)
    }

    func testConfidenceIntervalByHand() throws {
        // values 2, 4, 6: mean 4, s = 2, n = 3, t(0.975, 2) = 4.303 → half width 4.303 · 2 / √3.
        let interval = try XCTUnwrap(ConfidenceInterval(values: [2, 4, 6]))
        XCTAssertEqual(interval.mean, 4)
        XCTAssertEqual(interval.standardDeviation, 2, accuracy: 1e-12)
        XCTAssertEqual(interval.halfWidth, 4.303 * 2 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(ConfidenceInterval(values: [5])?.halfWidth, 0)
        XCTAssertNil(ConfidenceInterval(values: []))
        XCTAssertEqual(StudentT.criticalValue95(degreesOfFreedom: 60), 2.000, accuracy: 0.001)
        XCTAssertEqual(StudentT.criticalValue95(degreesOfFreedom: 120), 1.980, accuracy: 0.001)
    }

    func testOverfittingConfirmedAcrossSeeds() throws {
        let runs = (0..<3).map { _ in SyntheticLogs.overfitting() } + [SyntheticLogs.goodFit()]
        let summary = try MultiRunAnalyzer().summarize(runs)
        XCTAssertEqual(summary.runCount, 4)
        XCTAssertEqual(summary.overfittingRunCount, 3)
        XCTAssertTrue(summary.overfittingConfirmed)
        XCTAssertEqual(summary.majorityVerdict, .overfitting)
        XCTAssertEqual(summary.finalGapName, "accuracy gap (accuracy − val_accuracy)")
        XCTAssertTrue(summary.sentences[0].hasPrefix("Overfitting is confirmed: 3 of 4 runs"))
        XCTAssertTrue(summary.sentences.contains("Verdict of the 4 runs: overfitting in 3 of 4 (good fit in 1)."), "\(summary.sentences)")
        let notConfirmed = try MultiRunAnalyzer().summarize([SyntheticLogs.overfitting(), SyntheticLogs.goodFit(), SyntheticLogs.goodFit()])
        XCTAssertFalse(notConfirmed.overfittingConfirmed)
        // Two of two overfit: still not confirmed, and the sentence says why.
        let two = try MultiRunAnalyzer().summarize([SyntheticLogs.overfitting(), SyntheticLogs.overfitting()])
        XCTAssertFalse(two.overfittingConfirmed)
        XCTAssertTrue(two.sentences[0].contains("2 of 2 runs overfit, and confirming it takes at least 3 runs"), two.sentences[0])
        // One run: what the evidence is and what a second seed would show; never "confirmed".
        let one = try MultiRunAnalyzer().summarize([SyntheticLogs.overfitting()])
        XCTAssertFalse(one.overfittingConfirmed)
        XCTAssertTrue(one.sentences[0].hasPrefix("One run, so nothing is confirmed: its verdict is overfitting"), one.sentences[0])
        XCTAssertTrue(one.sentences[0].contains("A second seed would show"), one.sentences[0])
        XCTAssertFalse(one.sentences.joined().contains("Overfitting is confirmed"), "\(one.sentences)")
        XCTAssertThrowsError(try MultiRunAnalyzer().summarize([]))
    }

    func testVariantComparison() throws {
        let comparison = try MultiRunAnalyzer().compare(variants: [
            (name: "baseline", logs: [SyntheticLogs.overfitting(), SyntheticLogs.overfitting()]),
            (name: "dropout", logs: [SyntheticLogs.goodFit(), SyntheticLogs.goodFit(noise: 0.01)]),
        ])
        XCTAssertEqual(comparison.variants.map(\.name), ["baseline", "dropout"])
        XCTAssertEqual(comparison.bestVariant?.name, "dropout")       // best val_loss ≈ 0.33 < 0.75
        XCTAssertEqual(comparison.rows.count, 2)
        // Two runs never confirm anything (issue #20: "confirmed" only with n ≥ 3).
        XCTAssertEqual(comparison.rows[0].last, "2/2")
        XCTAssertTrue(comparison.sentences.contains("'baseline': overfitting in 2 of 2 runs."), "\(comparison.sentences)")
        XCTAssertTrue(comparison.sentences.contains("'dropout': good fit in 2 of 2 runs; overfitting in 0 of 2 runs."), "\(comparison.sentences)")
        XCTAssertThrowsError(try MultiRunAnalyzer().compare(variants: [(name: "a", logs: []), ]))
        XCTAssertThrowsError(try MultiRunAnalyzer().compare(variants: [(name: "a", logs: [SyntheticLogs.goodFit()]),
                                                                       (name: "a", logs: [SyntheticLogs.goodFit()])]))
    }
}
