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
}
