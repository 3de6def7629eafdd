import Foundation
import XCTest
import Kestrel

/// Runs the text tutorials' example programs (Examples/TextClassification, Examples/OverfitUnderfitIMDB)
/// on a generated archive of aclImdb's format (`--synthetic`), a few epochs, and checks what they print
/// and save: the tutorial's steps ran, training learned the synthetic sentiment, a diagnosis was printed.
final class TextExamplesTests: XCTestCase {
    private func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(program) failed:\n\(output)")
        return output
    }

    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "kestrel-text-example-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testTextClassificationRunsOnAGeneratedArchive() throws {
        let folder = try folder()
        let output = try run("TextClassification", ["--synthetic", "150", "--epochs", "8", "--data-dir", folder, "--export", "\(folder)/export.keras"])
        XCTAssertTrue(output.contains("Found 300 files belonging to 2 classes; 240 for training, 60 for validation; 300 test files."), output)
        XCTAssertTrue(output.contains("Verdict: "), output)
        // The export model takes strings: saved with its vocabulary, it loads and predicts the same.
        let exported = try XCTUnwrap(try loadModel("\(folder)/export.keras") as? Sequential)
        let vectorizer = try XCTUnwrap(exported.layers.first as? TextVectorization)
        XCTAssertGreaterThan(vectorizer.vocabularySize(), 40)
        XCTAssertThrowsError(try exported.predict(texts: ["great"]))  // custom standardization must be given again
        let line = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("Export model on raw test strings: accuracy ") })
        let accuracy = try XCTUnwrap(Double(line.split(separator: " ").last ?? ""))
        XCTAssertGreaterThan(accuracy, 0.6, "the synthetic reviews carry sentiment words; 8 epochs must beat chance:\n\(output)")
    }

    func testOverfitUnderfitIMDBRunsThreeCapacities() throws {
        let folder = try folder()
        let output = try run("OverfitUnderfitIMDB", ["--synthetic", "60", "--epochs", "4", "--num-words", "200",
                                                     "--data-dir", folder, "--output", "\(folder)/report.html"])
        for name in ["Smaller (4-4)", "Baseline (16-16)", "Bigger (512-512)"] { XCTAssertTrue(output.contains("\(name): "), "\(name)\n\(output)") }
        XCTAssertTrue(output.contains("120 training and 120 test reviews as 200-word multi-hot vectors."), output)
        let report = try String(contentsOfFile: "\(folder)/report.html", encoding: .utf8)
        XCTAssertTrue(report.contains("Bigger (512-512)"))
    }

    func testOverfitUnderfitIMDBTrainsTheChosenModelsWithTheTutorialsRegularizers() throws {
        let folder = try folder()
        let output = try run("OverfitUnderfitIMDB", ["--synthetic", "40", "--epochs", "3", "--num-words", "100", "--models", "l2,dropout",
                                                     "--data-dir", folder, "--output", "\(folder)/report.html"])
        XCTAssertTrue(output.contains("L2 (16-16): ") && output.contains("Dropout (16-16): "), output)
        XCTAssertFalse(output.contains("Bigger (512-512): "), output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/regularizers.png"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(folder)/sizes.png"), "no size model was trained")
    }

    func testOverfitUnderfitIMDBReadsKerasImdbNpz() throws {
        let folder = try folder()
        let npz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras/text/imdb_small.npz").path
        let output = try run("OverfitUnderfitIMDB", ["--npz", npz, "--epochs", "2", "--num-words", "50", "--output", "\(folder)/report.html"])
        XCTAssertTrue(output.contains("imdb_small.npz: 30 training and 20 test reviews as 50-word multi-hot vectors."), output)
        XCTAssertTrue(output.contains("Bigger (512-512): "), output)
    }
}
