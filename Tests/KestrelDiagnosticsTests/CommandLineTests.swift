import Foundation
import XCTest
@testable import KestrelDiagnostics

/// Runs the built `kestrel` executable (from the same build directory as this test bundle)
/// on the fixtures. Skipped when the executable has not been built.
final class CommandLineTests: XCTestCase {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try KestrelExecutable.run(arguments)
    }

    func testDiagnoseEachLogFormat() throws {
        for name in ["keras_csvlogger_overfit.csv", "keras_history_overfit.json", "kestrel_history_overfit.json"] {
            let result = try run(["diagnose", Fixtures.url(name).path])
            XCTAssertEqual(result.status, 0, name + result.error)
            XCTAssertTrue(result.output.hasPrefix("Verdict: Overfitting"), name)
            XCTAssertTrue(result.output.contains("val_loss rose from 0.795 at epoch 3 to 1.775 at epoch 30"), name)
        }
    }

    func testDiagnoseTheIssuesReproductionShapeWithModelFlags() throws {
        // The corpus's SGD 3.0 run (kestrel fit … --optimizer sgd --learning-rate 3.0): collapsed, lower the learning rate first.
        let corpus = DiagnosisCorpusTests.directory
        let result = try run(["diagnose", corpus.appendingPathComponent("kestrel-collapsed-sgd3.json").path, "--classes", "10", "--learning-rate", "3"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.hasPrefix("Verdict: Not learning (learning rate too high)"), result.output)
        let suggestions = result.output.components(separatedBy: "Suggestions\n").last ?? ""
        XCTAssertTrue(suggestions.hasPrefix("  → Lower the learning rate 10× or more (e.g. learning rate 0.300 instead of 3.000)"), suggestions)
        XCTAssertTrue(result.output.contains("Rules "), "the rules close the output")
        // One line a rule, each stated as DiagnosisOptions states it (the report's footer uses the same statements).
        let ruleLines = (result.output.components(separatedBy: "Rules behind the verdict:\n").last ?? "").split(separator: "\n")
        XCTAssertTrue(ruleLines.allSatisfy { $0.hasPrefix("  · ") }, "\(ruleLines)")
        for statement in DiagnosisOptions().ruleStatements {
            XCTAssertTrue(ruleLines.contains { $0.contains(statement) }, "missing rule: \(statement)")
        }
        let bad = try run(["diagnose", corpus.appendingPathComponent("kestrel-collapsed-sgd3.json").path, "--classes", "1"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.error.contains("--classes must be between 2"), bad.error)
    }

    func testJSONTestMetricsAndReport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("out.html")
        let result = try run(["diagnose", Fixtures.url("keras_csvlogger_overfit.csv").path, "--test-loss", "1.8",
                              "--test-accuracy", "0.64", "--json", "--report", report.path, "--patience", "5"])
        XCTAssertEqual(result.status, 0, result.error)
        let diagnosis = try JSONDecoder().decode(Diagnosis.self, from: Data(result.output.utf8))
        XCTAssertEqual(diagnosis.verdict, .overfitting)
        XCTAssertEqual(diagnosis.holdout.count, 2)
        XCTAssertEqual(diagnosis.earlyStopping?.patience, 5)
        XCTAssertEqual(diagnosis.earlyStopping?.stoppedEpoch, 7)
        XCTAssertTrue(FileManager.default.fileExists(atPath: report.path))
        XCTAssertTrue(result.error.contains("Wrote the report to"))
    }

    func testPlotWritesPNGAndSVGAndRejectsOtherNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["curves.png", "curves.svg"] {
            let path = directory.appendingPathComponent(name).path
            let result = try run(["plot", Fixtures.url("keras_csvlogger_overfit.csv").path, "--output", path])
            XCTAssertEqual(result.status, 0, result.error)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), name)
        }
        XCTAssertTrue(try Data(contentsOf: directory.appendingPathComponent("curves.png")).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let wrong = try run(["plot", Fixtures.url("keras_csvlogger_overfit.csv").path, "--output", directory.appendingPathComponent("c.jpg").path])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.error.contains("must end in .png or .svg"), wrong.error)
    }

    func testUserErrorsAreOneSentenceAndNonZero() throws {
        let missing = try run(["diagnose", "/nonexistent/history.json"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertEqual(missing.error.trimmingCharacters(in: .whitespacesAndNewlines),
                       "Error: Cannot read the training log '/nonexistent/history.json': no such file.")
        let badAccuracy = try run(["diagnose", Fixtures.url("keras_csvlogger_overfit.csv").path, "--test-accuracy", "64"])
        XCTAssertNotEqual(badAccuracy.status, 0)
        XCTAssertTrue(badAccuracy.error.contains("--test-accuracy must be between 0 and 1"), badAccuracy.error)
        let badMonitor = try run(["diagnose", Fixtures.url("keras_csvlogger_overfit.csv").path, "--monitor", "val_auc"])
        XCTAssertNotEqual(badMonitor.status, 0)
        XCTAssertTrue(badMonitor.error.contains("--monitor 'val_auc' is not in the log; it has accuracy, learning_rate"), badMonitor.error)
        // A damaged log among several is named in the message.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-badlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let damaged = directory.appendingPathComponent("damaged.json")
        try Data(#"{"epoch": [0], "history": {"loss": [0.5]}, "data": {"validation_samples": -3}}"#.utf8).write(to: damaged)
        let compared = try run(["compare", "good=\(Fixtures.url("keras_csvlogger_overfit.csv").path)", "bad=\(damaged.path)",
                                "--output", directory.appendingPathComponent("c.html").path])
        XCTAssertNotEqual(compared.status, 0)
        XCTAssertEqual(compared.error.trimmingCharacters(in: .whitespacesAndNewlines),
                       "Error: '\(damaged.path)': The history JSON is not valid: 'data.validation_samples' must be a whole number of samples ≥ 0.")
        for command in [["diagnose", damaged.path], ["plot", damaged.path, "--output", directory.appendingPathComponent("p.png").path]] {
            let result = try run(command)
            XCTAssertNotEqual(result.status, 0, command[0])
            XCTAssertTrue(result.error.contains("'\(damaged.path)': The history JSON is not valid"), result.error)
        }
        let noLog = try run(["diagnose"])
        XCTAssertNotEqual(noLog.status, 0)
        XCTAssertTrue(noLog.error.contains("Missing expected argument '<log>'"), noLog.error)
    }
}
