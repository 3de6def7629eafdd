import Foundation
import XCTest
@testable import KestrelDiagnostics

final class ReportTests: XCTestCase {
    /// The full report: every optional section. Set KESTREL_REPORT_PREVIEW=/path/report.html
    /// to keep a copy for looking at in a browser.
    func testFullReportIsSelfContainedAndComplete() throws {
        let log = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_csvlogger_overfit.csv"))
        let diagnosis = CurveAnalyzer().diagnose(log, holdout: HoldoutMetrics(loss: 1.80, accuracy: 0.64))
        var report = HTMLReport(subtitle: "keras_csvlogger_overfit.csv — 3-class toy problem", log: log, diagnosis: diagnosis)
        let predictions = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.url("keras_predictions.json"))) as? [String: Any]
        let classes = predictions?["classes"] as? [String] ?? []
        func labels(_ key: String) -> [Int] { predictions?[key] as? [Int] ?? [] }
        report.confusionMatrix = try ConfusionMatrix(trueLabels: labels("validation_true"), predictedLabels: labels("validation_predicted"), classNames: classes)
        report.trainConfusionMatrix = try ConfusionMatrix(trueLabels: labels("train_true"), predictedLabels: labels("train_predicted"), classNames: classes)
        report.modelSummary = """
        Model: "sequential"
        ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
        ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
        ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
        │ dense (Dense)                   │ (None, 256)            │         5,376 │
        │ dense_1 (Dense)                 │ (None, 256)            │        65,792 │
        │ dense_2 (Dense)                 │ (None, 3)              │           771 │
        └─────────────────────────────────┴────────────────────────┴───────────────┘
         Total params: 71,939 (281.01 KB)
        """
        report.sampleImages = (0..<6).map { index in
            let png = TinyPNG.greyscale(width: 28, height: 28) { x, y in
                UInt8(truncatingIfNeeded: (x * 9 + y * (index + 2) * 4) % 256)
            }
            return ReportImage(pngData: png, caption: "true: \(classes[index % 3]) · predicted: \(classes[(index + 1) % 3])")
        }
        report.multiRun = try MultiRunAnalyzer().summarize([SyntheticLogs.overfitting(), SyntheticLogs.overfitting(epochs: 16),
                                                            SyntheticLogs.goodFit(epochs: 20)])
        report.variants = try MultiRunAnalyzer().compare(variants: [
            (name: "baseline", logs: [SyntheticLogs.overfitting(), SyntheticLogs.overfitting(epochs: 18)]),
            (name: "dropout + augmentation", logs: [SyntheticLogs.goodFit(epochs: 20), SyntheticLogs.goodFit(epochs: 20, noise: 0.01)]),
        ])
        let html = report.render()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"))
        XCTAssertFalse(html.contains("https://") || html.contains("<script") || html.contains("<link"), "no network, no scripts")
        XCTAssertTrue(html.contains("<span class=\"badge overfitting\">Overfitting</span>"))
        XCTAssertTrue(html.contains("val_loss rose from 0.795 at epoch 3 to 1.775 at epoch 30"))
        XCTAssertTrue(html.contains("test loss 1.800 is close to val_loss 1.775"))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 5, "curves, gap, heatmap, multi-run, variants")
        XCTAssertEqual(html.components(separatedBy: "data:image/png;base64,iVBORw0KGgo").count - 1, 6)
        XCTAssertTrue(html.contains("Total params: 71,939"))
        XCTAssertTrue(html.contains("<h2>3 runs</h2>") && html.contains("dropout + augmentation"))
        XCTAssertTrue(html.contains("class=\"flagged\""), "per-class gaps of the overfitted run are highlighted")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let destination = directory.appendingPathComponent("report.html")
        try report.write(to: destination)
        try report.write(to: destination)   // overwriting works too
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), html)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["report.html"], "no temporary file left")
        if let preview = ProcessInfo.processInfo.environment["KESTREL_REPORT_PREVIEW"] {
            try report.write(to: URL(fileURLWithPath: preview))
        }
    }

    func testVariantsOnlyReport() throws {
        var report = HTMLReport(title: "Dropout or not", subtitle: "3 seeds each")
        report.variants = try MultiRunAnalyzer().compare(variants: [(name: "baseline", logs: [SyntheticLogs.overfitting()]),
                                                                    (name: "dropout", logs: [SyntheticLogs.goodFit()])])
        let html = report.render()
        XCTAssertTrue(html.contains("<h1>Dropout or not</h1><p class=\"subtitle\">3 seeds each</p>"))
        XCTAssertFalse(html.contains("id=\"verdict\""))
        XCTAssertTrue(html.contains("id=\"variants\""))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 1)
    }

    func testWritingIntoAMissingDirectoryThrowsAClearError() throws {
        let report = HTMLReport(log: SyntheticLogs.goodFit(), diagnosis: CurveAnalyzer().diagnose(SyntheticLogs.goodFit()))
        XCTAssertThrowsError(try report.write(to: URL(fileURLWithPath: "/nonexistent-kestrel-dir/report.html"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("Cannot write '/nonexistent-kestrel-dir/report.html': the folder"), "\(error)")
        }
    }

    func testTerminalReportAndTextChart() throws {
        let log = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_csvlogger_overfit.csv"))
        let text = TerminalReport.render(CurveAnalyzer().diagnose(log), log: log)
        XCTAssertTrue(text.hasPrefix("Verdict: Overfitting\nOverfitting from epoch 4 on"))
        XCTAssertTrue(text.contains("  • val_loss rose from 0.795 at epoch 3"))
        XCTAssertTrue(text.contains("● loss  ○ val_loss"))
        XCTAssertFalse(text.contains("\u{1B}["), "no ANSI codes unless asked")
        XCTAssertTrue(TerminalReport.render(CurveAnalyzer().diagnose(log), log: log, color: true).contains("\u{1B}[1;31mOverfitting"))

        let chart = TextChart(title: "T", series: [(name: "a", values: [0, 1, 2], marker: "●"), (name: "b", values: [2, 1, 0], marker: "○")],
                              width: 3, height: 3).render()
        let lines = chart.components(separatedBy: "\n")
        XCTAssertEqual(lines[1], " 2.000 ┤○ ●")
        XCTAssertEqual(lines[2], " 1.000 ┤ ◆", "where two series meet")
        XCTAssertEqual(lines[3], " 0.000 ┤● ○")
    }

    func testTerminalVariantTableIsAligned() throws {
        let comparison = try MultiRunAnalyzer().compare(variants: [
            (name: "baseline", logs: [SyntheticLogs.overfitting(), SyntheticLogs.overfitting()]),
            (name: "dropout", logs: [SyntheticLogs.goodFit()]),
        ])
        let lines = TerminalReport.render(comparison).components(separatedBy: "\n")
        XCTAssertTrue(lines[0].hasPrefix("Variant   Runs  Best monitored value"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("────────  ────  "), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("baseline  2     0.750 ± 0.000"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("dropout   1     "), lines[3])
        XCTAssertTrue(lines[3].hasSuffix("0/1"), lines[3])
        let summary = try MultiRunAnalyzer().summarize([SyntheticLogs.overfitting(), SyntheticLogs.overfitting(epochs: 15)])
        let text = TerminalReport.render(summary)
        // Issue #20: two runs never confirm ("confirmed" only with n ≥ 3).
        XCTAssertTrue(text.hasPrefix("2 runs\n  • Overfitting is not confirmed: 2 of 2 runs overfit, and confirming it takes at least 3 runs."), text)
        XCTAssertTrue(text.contains("● mean loss  ○ mean val_loss"))
    }

    func testDiagnosisJSONHandlesMissingValues() throws {
        var log = TrainingLog()
        for epoch in 0..<6 {
            var logs = ["loss": 1.0 / Double(epoch + 1)]
            if epoch > 0 { logs["val_loss"] = 1.2 / Double(epoch + 1) }
            log.append(epoch: epoch, logs: logs)
        }
        let json = try DiagnosisJSON.encode(CurveAnalyzer().diagnose(log))
        // Both losses still falling fast: "still learning", its own verdict since issue #20 (was "underfitting").
        XCTAssertTrue(json.contains("\"verdict\" : \"stillLearning\""), json)
        XCTAssertTrue(json.contains("\"NaN\""), "the missing first val_loss survives as NaN")
    }
}
