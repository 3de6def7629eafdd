import Foundation
import XCTest
@testable import KestrelDiagnostics

final class ChartTests: XCTestCase {
    func testNiceScaleUsesOneTwoFiveSteps() {
        let loss = NiceScale(minimum: 0.0034, maximum: 1.775)
        XCTAssertEqual(loss.step, 0.5)
        XCTAssertEqual(loss.ticks, [0, 0.5, 1, 1.5, 2])
        XCTAssertEqual(loss.label(0.5), "0.5")
        let accuracy = NiceScale(minimum: 0.504, maximum: 1)
        XCTAssertEqual(accuracy.step, 0.1)
        XCTAssertEqual(accuracy.ticks.first, 0.5)
        XCTAssertEqual(accuracy.ticks.last, 1.0)
        let epochs = NiceScale(minimum: 1, maximum: 30, targetTickCount: 8, integerSteps: true)
        XCTAssertEqual(epochs.step, 5)
        XCTAssertEqual(NiceScale(minimum: 1, maximum: 3, integerSteps: true).step, 1, "epochs never get fractional ticks")
        let flat = NiceScale(minimum: 2, maximum: 2)
        XCTAssertLessThan(flat.lower, 2)
        XCTAssertGreaterThan(flat.upper, 2)
    }

    func testXMLEscaping() {
        XCTAssertEqual(XMLEscape.text(#"a<b & "c" > 'd'"#), "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;")
        XCTAssertEqual(XMLEscape.text("bell\u{07}"), "bell")
    }

    func testLearningCurveSVGHasTheExpectedElements() throws {
        let log = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_csvlogger_overfit.csv"))
        let diagnosis = CurveAnalyzer().diagnose(log)
        let svg = LearningCurveCharts.lossAndAccuracy(log: log, diagnosis: diagnosis)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>"))
        for series in ["loss", "val_loss", "accuracy", "val_accuracy"] {
            XCTAssertTrue(svg.contains("data-series=\"\(series)\""), series)
        }
        XCTAssertEqual(svg.components(separatedBy: "stroke-dasharray=\"7 4\" stroke-linejoin").count - 1, 2,
                       "exactly the two validation curves are dashed")
        XCTAssertTrue(svg.contains(">best epoch 3</text>"))
        XCTAssertTrue(svg.contains(">best val_loss 0.795</text>"))
        XCTAssertTrue(svg.contains(">overfitting</text>"))
        XCTAssertTrue(svg.contains("fill-opacity=\"0.08\""), "the overfitting region is shaded")
        // ReduceLROnPlateau halved the rate at epochs 12, 20 and 28.
        for label in ["lr 0.0015", "lr 0.00075", "lr 0.000375"] {
            XCTAssertTrue(svg.contains(">\(label)</text>"), label)
        }
        XCTAssertTrue(svg.contains(">Epoch</text>") && svg.contains(">Loss</text>") && svg.contains(">Accuracy</text>"))
        XCTAssertFalse(svg.contains("nan"), "non-finite numbers never reach the SVG")
    }

    func testSVGEscapesUserText() {
        let chart = LineChart(title: "A < B & C", yLabel: "y", series: [
            ChartSeries(name: "<script>", x: [1, 2, 3], y: [1, 2, .nan], color: "#000"),
        ])
        let svg = chart.svg()
        XCTAssertTrue(svg.contains("A &lt; B &amp; C"))
        XCTAssertFalse(svg.contains("<script>"))
        XCTAssertTrue(svg.contains("&lt;script&gt;"))
    }

    func testMultiRunAndVariantChartsDrawBands() throws {
        let summary = try MultiRunAnalyzer().summarize([SyntheticLogs.overfitting(), SyntheticLogs.overfitting(epochs: 15)])
        let svg = LearningCurveCharts.multiRun(summary)
        XCTAssertTrue(svg.contains("fill-opacity=\"0.16\""), "mean ± 95% CI band")
        XCTAssertTrue(svg.contains("val_loss (n = 2) ± 95% CI"))
        let comparison = try MultiRunAnalyzer().compare(variants: [(name: "small", logs: [SyntheticLogs.goodFit()]),
                                                                   (name: "big", logs: [SyntheticLogs.overfitting()])])
        let overlay = LearningCurveCharts.variants(comparison)
        XCTAssertTrue(overlay.contains(ChartPalette.color(0)) && overlay.contains(ChartPalette.color(1)))
        XCTAssertTrue(overlay.contains(">small val ± 95% CI</text>") && overlay.contains(">big train</text>"))
    }

    func testHeatmapHasCountsNamesAndShading() throws {
        let matrix = try ConfusionMatrix(counts: [[50, 3], [7, 40]], classNames: ["cat & co", "dog"])
        let svg = ConfusionMatrixHeatmap(matrix: matrix).svg()
        for count in ["50", "3", "7", "40"] { XCTAssertTrue(svg.contains(">\(count)</text>"), count) }
        XCTAssertTrue(svg.contains(">cat &amp; co</text>"))
        XCTAssertTrue(svg.contains(">Predicted label</text>") && svg.contains(">True label</text>"))
        XCTAssertEqual(ConfusionMatrixHeatmap.blues(0), "#f7fbff")
        XCTAssertEqual(ConfusionMatrixHeatmap.blues(1), "#08306b")
        XCTAssertTrue(svg.contains("fill=\"\(ConfusionMatrixHeatmap.blues(50.0 / 53.0))\""))
    }

    func testTenClassHeatmapRotatesLongColumnNames() throws {
        let names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        var counts = Array(repeating: Array(repeating: 0, count: 10), count: 10)
        for row in 0..<10 {
            for column in 0..<10 { counts[row][column] = row == column ? 800 + 17 * row : (row * 7 + column * 3) % 40 }
        }
        counts[6][0] = 160   // shirts taken for T-shirts, the classic Fashion-MNIST confusion
        let matrix = try ConfusionMatrix(counts: counts, classNames: names)
        let svg = ConfusionMatrixHeatmap(matrix: matrix, title: "Confusion matrix (validation)").svg()
        XCTAssertTrue(svg.contains(">T-shirt/top</text>"))
        XCTAssertTrue(svg.contains("rotate(-45"), "long class names under the columns are rotated")
        XCTAssertEqual(matrix.mostConfusedPairs(limit: 1).first?.sentence, "Shirt → T-shirt/top: 160 (13.4% of Shirt)")   // 160 / (902 + 160 + 133)
        if let preview = ProcessInfo.processInfo.environment["KESTREL_HEATMAP_PREVIEW"] {
            try svg.write(toFile: preview, atomically: true, encoding: .utf8)
        }
    }

    func testOverlaidRunsShareOneLegendWhoseLabelsNeverOverlap() throws {
        let long = "+ EarlyStopping(monitor: \"val_loss\", patience: 3, restoreBestWeights: true) and + dropout 0.5 after dense 128"
        let names = ["baseline", "+ dropout 0.5 after dense 128", long, "+ l2 0.0001 on every kernel (2 layers)", String(repeating: "x", count: 400)]
        let entries = names.map { OverlayLegendEntry(name: $0, color: "#000", dashed: false) }
        let layout = OverlayLegendEntry.layout(entries, left: 66, right: 1022)
        XCTAssertEqual(layout.items.count, names.count)
        XCTAssertGreaterThan(layout.rows, 1)
        for item in layout.items {
            let end = item.x + OverlayLegendEntry.lead + item.textWidth
            XCTAssertGreaterThanOrEqual(item.x, 66)
            XCTAssertLessThanOrEqual(end, 1022, "\(item.text) runs past the chart")
            XCTAssertEqual(item.textWidth, Double(item.text.count) * OverlayLegendEntry.characterWidth)
        }
        for (a, b) in zip(layout.items, layout.items.dropFirst()) where a.row == b.row {
            XCTAssertLessThanOrEqual(a.x + OverlayLegendEntry.lead + a.textWidth, b.x, "\(a.text) overlaps \(b.text)")
        }
        XCTAssertTrue(layout.items[4].text.hasSuffix("…"), "a name longer than a row is shortened")
        XCTAssertEqual(layout.items[2].text, long, "a long name that fits a row is kept whole")

        // The SVG: the legend above both panels (below it, the panels have no legend of their own).
        let runs = names.prefix(3).map { (name: $0, log: SyntheticLogs.overfitting()) }
        let svg = LearningCurveCharts.overlaid(runs: Array(runs))
        XCTAssertEqual(svg.components(separatedBy: "validation (dashed)").count - 1, 1)
        XCTAssertEqual(svg.components(separatedBy: ">baseline<").count - 1, 1, "one entry per run, not one per curve")
        XCTAssertFalse(svg.contains(">baseline val_loss<"), "no per-panel legend entries (the curves keep their names as labels)")
        XCTAssertTrue(svg.contains("translate(0 52)"), "panels start under the two legend rows (12 + 2 × 20 px)")
    }
}
