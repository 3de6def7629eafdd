import XCTest
@testable import KestrelDiagnostics

/// A variant comparison can carry a held-out score per run (test accuracy), shown as a mean with its
/// 95 % interval in the table, the sentences and the HTML report.
final class VariantHeldOutTests: XCTestCase {
    func testHeldOutScoresBecomeAColumnWithTheirInterval() throws {
        var comparison = try MultiRunAnalyzer().compare(variants: [
            (name: "frozen", logs: [SyntheticLogs.goodFit(), SyntheticLogs.goodFit(noise: 0.01), SyntheticLogs.goodFit(noise: 0.02)]),
            (name: "scratch", logs: [SyntheticLogs.overfitting(), SyntheticLogs.overfitting()]),
        ])
        XCTAssertEqual(comparison.titles, VariantComparison.columnTitles, "no column before scores are set")
        XCTAssertEqual(comparison.rows[0].count, VariantComparison.columnTitles.count)
        comparison.setHeldOut(["frozen": [0.80, 0.82, 0.84]], name: "Test accuracy")
        XCTAssertEqual(comparison.titles.last, "Test accuracy (mean ± 95% CI)")
        // 0.80, 0.82, 0.84: mean 0.82, s = 0.02, half width t(0.975, 2) · 0.02 / √3 = 0.0497.
        let interval = try XCTUnwrap(comparison.variants[0].heldOut)
        XCTAssertEqual(interval.mean, 0.82, accuracy: 1e-12)
        XCTAssertEqual(interval.halfWidth, 4.303 * 0.02 / 3.0.squareRoot(), accuracy: 1e-6)
        XCTAssertNil(comparison.variants[1].heldOut)
        XCTAssertEqual(comparison.rows[0].last, interval.shortText)
        XCTAssertEqual(comparison.rows[1].last, "–")
        XCTAssertTrue(comparison.sentences.contains { $0.hasPrefix("'frozen'") && $0.contains("test accuracy 0.82") }, "\(comparison.sentences)")
        var report = HTMLReport(title: "t")
        report.variants = comparison
        XCTAssertTrue(report.render().contains("<th>Test accuracy (mean ± 95% CI)</th>"))
    }
}
