import Foundation
import XCTest
@testable import KestrelDiagnostics

/// Issue 15's log edge cases: empty logs are errors, pandas CSVs are read, and `compare` never
/// merges two different runs that `fit` named `history`.
final class LogEdgeCaseTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func write(_ text: String, _ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    func testEmptyLogsAreClearErrors() throws {
        for (text, name) in [("{}", "empty.json"), ("{\"loss\": []}", "no-values.json"), ("epoch,loss,val_loss\n", "header.csv"),
                             ("{\"history\": {}, \"epoch\": []}", "kestrel-empty.json")] {
            let url = try write(text, name)
            XCTAssertThrowsError(try TrainingLogReader.read(contentsOf: url), name) { error in
                XCTAssertEqual(error as? TrainingLogError, .empty, name)
                XCTAssertTrue("\(error)".contains("holds no epoch"), "\(error)")
            }
            let result = try KestrelExecutable.run(["diagnose", url.path])
            XCTAssertNotEqual(result.status, 0, name)
            XCTAssertTrue(result.error.contains("holds no epoch"), result.error)
            XCTAssertFalse(result.output.contains("Suggestions"), "no advice on an empty log")
        }
    }

    func testPandasCSVsAreRead() throws {
        for name in ["pandas_history_index.csv", "pandas_history_no_index.csv"] {
            let log = try TrainingLogReader.read(contentsOf: Fixtures.url(name))
            XCTAssertEqual(log.count, 6, name)
            XCTAssertEqual(log.epochs, Array(0..<6), name)
            XCTAssertEqual(log.metricNames, ["accuracy", "loss", "val_accuracy", "val_loss"], name)
            XCTAssertEqual(log.values("val_loss")?[4], 0.65, name)
        }
    }

    func testCompareLabelsFitHistoriesByTheirFolder() throws {
        let history = try String(contentsOf: Fixtures.url("kestrel_history_overfit.json"), encoding: .utf8)
        let a = try write(history, "small/history.json"), b = try write(history, "big/history.json")
        let output = directory.appendingPathComponent("compare.html").path
        let result = try KestrelExecutable.run(["compare", a.path, b.path, "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("\nsmall "), result.output)
        XCTAssertTrue(result.output.contains("\nbig "), result.output)
        XCTAssertFalse(result.output.contains("history"), "no variant named history: \(result.output)")

        let sameName = try write(history, "other/small/history.json")
        let refused = try KestrelExecutable.run(["compare", a.path, sameName.path, "--output", output])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.error.contains("would merge logs from different folders"), refused.error)

        let seeds = try (42...43).map { try write(history, "small/history-seed\($0).json") }
        let grouped = try KestrelExecutable.run(["compare"] + seeds.map(\.path) + [b.path, "--output", output])
        XCTAssertEqual(grouped.status, 0, grouped.error)
        XCTAssertTrue(grouped.output.contains("\nsmall    2 "), grouped.output)
    }

    /// A folder (what `kestrel doctor` writes per remedy) stands for the histories in it.
    func testCompareTakesFoldersOfHistories() throws {
        let history = try String(contentsOf: Fixtures.url("kestrel_history_overfit.json"), encoding: .utf8)
        for seed in [42, 43, 7] { _ = try write(history, "doctor/baseline/history-seed\(seed).json") }
        _ = try write("epoch,loss\n0,1\n", "doctor/baseline/history-seed42.csv")
        _ = try write(history, "doctor/dropout/history.json")
        let folder = directory.appendingPathComponent("doctor")
        let output = directory.appendingPathComponent("compare.html").path
        let result = try KestrelExecutable.run(["compare", folder.appendingPathComponent("baseline").path,
                                                "drop=" + folder.appendingPathComponent("dropout").path, "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("\nbaseline  3 "), result.output)
        XCTAssertTrue(result.output.contains("\ndrop      1 "), result.output)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let refused = try KestrelExecutable.run(["compare", folder.appendingPathComponent("empty").path, "--output", output])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.error.contains("is a folder with no history.json"), refused.error)
    }
}
