import Foundation
import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// `kestrel tune` as a user meets it: the built executable on a tiny image folder — the table, Keras
/// Tuner's results summary, the histories and a best model that loads — and one-sentence refusals of
/// hostile arguments. Skipped when the executable has not been built.
final class CLITuneCommandTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-cli-tune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try KestrelExecutable.run(arguments, in: scratch)
    }

    func testHyperbandSearchWritesTableSummaryHistoriesAndALoadableBestModel() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 10)
        let out = scratch.appendingPathComponent("tune")
        let arguments = ["tune", "--model", "flatten, dense {units:2..16 step=2} {activation:relu|tanh}, dense 2 softmax",
                         "--learning-rate", "1e-3..1e-1 log", "--dataset", data.path, "--image-size", "8x8", "--batch-size", "4",
                         "--max-epochs", "3", "--seed", "7", "--output", out.path]
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("Search space: units 2..16 step=2, activation relu|tanh, learning_rate 0.001..0.1 log"), result.output)
        XCTAssertTrue(result.output.contains("Hyperband: max epochs 3, factor 3, 1 iteration(s): 6 trials (brackets, models×epochs: 3×1→1×3; 2×3)"), result.output)
        XCTAssertTrue(result.output.contains("[6/6] trial 0005: "), result.output)
        let header = result.output.components(separatedBy: "Trials (* best):\n").last?.split(separator: "\n").first ?? ""
        XCTAssertEqual(header.split(separator: " "), ["trial", "units", "activation", "learning_rate", "epochs", "val_accuracy"])
        XCTAssertTrue(result.output.contains("Results summary\nResults in \(out.path)\nShowing 6 best trials\nObjective(name=\"val_accuracy\", direction=\"max\")"), result.output)
        XCTAssertTrue(result.output.contains("tuner/epochs: 3\ntuner/initial_epoch: 1\ntuner/bracket: 1\ntuner/round: 1\ntuner/trial_id: 000"), result.output)
        XCTAssertTrue(result.output.contains("Best hyper-parameters: units="), result.output)
        for trial in 0..<6 {
            let history = out.appendingPathComponent("trial-000\(trial)/history-seed7.json").path
            XCTAssertTrue(FileManager.default.fileExists(atPath: history), history)
        }
        let text = try String(contentsOf: out.appendingPathComponent("tune.txt"), encoding: .utf8)
        XCTAssertTrue(text.contains("Results summary"), text)
        let model = try loadModel(out.appendingPathComponent("best_model.keras").path)
        XCTAssertGreaterThan(model.countParams(), 64 * 2)
        // The same seed gives the same table.
        let again = try run(arguments.dropLast(2) + ["--output", scratch.appendingPathComponent("again").path])
        func table(_ output: String) -> String {
            output.components(separatedBy: "Trials (* best):").last?.components(separatedBy: "Results summary").first ?? ""
        }
        XCTAssertEqual(table(again.output), table(result.output))
    }

    func testHostileArgumentsGetOneSentence() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 4)
        let base = ["tune", "--dataset", data.path, "--image-size", "8x8", "--output", scratch.appendingPathComponent("o").path]
        let cases: [([String], String)] = [
            (["--model", "flatten, dense {units:32..512"], "--model: The model template leaves '{units:32..512' open; close it with '}'."),
            (["--model", "flatten, dense {units:512..32}, dense 2 softmax"],
             "--model: The model template's {units:512..32}: the range 512..32 of 'units' is empty; write the smaller bound first."),
            (["--model", "flatten, dense 2 softmax", "--learning-rate", "0.1..0.01"],
             "--learning-rate: the range 0.1..0.01 of 'learning_rate' is empty; write the smaller bound first."),
            (["--model", "flatten, dense {units:2|4}, dense 2 softmax", "--algorithm", "random", "--max-trials", "1000000000"],
             "--max-trials must be 1…10000, got 1000000000; --budget (e.g. 30m) can end a long search."),
            (["--model", "flatten, dense {units:2|4}, dense 2 softmax", "--max-epochs", "0"],
             "--max-epochs: Hyperband's max epochs must be 1…100000, got 0; set it a little above the epochs your largest model needs."),
            (["--model", "flatten, dense {units:2|4}, dense 2 softmax", "--factor", "1"],
             "--factor must be a whole number 2…1000 (Keras Tuner's default is 3), got 1."),
            (["--model", "flatten, dense {units:2|4}, dense 2 softmax", "--algorithm", "grid"], "--algorithm 'grid' is not hyperband or random."),
            (["--model", "flatten, dense {units:2|4}, dense 2 softmax", "--objective", "val_f1"],
             "--objective: The objective 'val_f1' does not say whether larger is better; write it as val_f1:max or val_f1:min."),
            (["--model", "flatten, dense {units:2|4}, dense 2 softmax", "--seeds", "0"], "--seeds must be 1…1000 (the number of training runs), got 0."),
        ]
        for (arguments, expected) in cases {
            let result = try run(base + arguments)
            XCTAssertNotEqual(result.status, 0, expected)
            XCTAssertEqual(result.error.trimmingCharacters(in: .whitespacesAndNewlines), "Error: " + expected)
        }
    }
}
