import Foundation
import XCTest
@testable import KestrelDiagnostics

/// `kestrel fit`, `compare` and `demo` as a user meets them: the built executable (same build
/// directory as this bundle) on tiny image folders and the committed logs. Skipped when the
/// executable has not been built. No real training beyond a few tiny steps.
final class CLITrainingCommandTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-cli-fit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try KestrelExecutable.run(arguments, in: scratch)
    }

    private func assertOneSentenceFailure(_ arguments: [String], _ expected: String, line: UInt = #line) throws {
        let result = try run(arguments)
        XCTAssertNotEqual(result.status, 0, line: line)
        let text = result.error.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(text, "Error: " + expected, line: line)
        XCTAssertFalse(result.error.contains("Stack") || result.error.contains("Fatal error"), line: line)
    }

    func testFitOnAnImageFolderWritesHistoryReportAndDiagnosis() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 10)
        let out = scratch.appendingPathComponent("run")
        let result = try run(["fit", "--model", "flatten, dense 8 relu, dropout 0.1, dense 2 softmax", "--dataset", data.path,
                              "--image-size", "8x8", "--epochs", "3", "--batch-size", "4", "--validation-split", "0.25",
                              "--early-stopping", "val_loss:5", "--reduce-lr", "val_loss:0.5:1:1e-5", "--augment", "flip:vertical",
                              "--output", out.path, "--verbose", "2"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("20 images in 2 classes, resized to 8×8 grayscale"), result.output)
        XCTAssertTrue(result.output.contains("Total params: 538"), result.output)  // 64·8+8 + 8·2+2
        XCTAssertTrue(result.output.contains("Epoch 3/3"), result.output)
        XCTAssertTrue(result.output.contains("Verdict: "), result.output)
        for file in ["history.json", "history.csv", "report.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        let csv = try String(contentsOf: out.appendingPathComponent("history.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss") || csv.hasPrefix("epoch,accuracy,loss,val_accuracy,val_loss"), csv)
        XCTAssertEqual(csv.split(separator: "\n").count, 4)
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("Per-class view") && report.contains("Learning curves") && report.contains("on 5 samples"))
    }

    func testSeedsGiveOneHistoryPerRunAndCompareReadsThem() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data.appendingPathComponent("train"), count: 6)
        try TinyPNG.writeTwoClassFolder(data.appendingPathComponent("validation"), count: 2)
        let out = scratch.appendingPathComponent("seeds")
        let fit = try run(["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8",
                           "--epochs", "2", "--seeds", "2", "--seed", "7", "--output", out.path, "--verbose", "0"])
        XCTAssertEqual(fit.status, 0, fit.error)
        XCTAssertTrue(fit.output.contains("12 training, 4 validation images"), fit.output)
        let first = out.appendingPathComponent("history-seed7.json").path, second = out.appendingPathComponent("history-seed8.json").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: first) && FileManager.default.fileExists(atPath: second))
        let report = scratch.appendingPathComponent("compare.html")
        let compare = try run(["compare", "tiny=\(first)", "tiny=\(second)", Fixtures.url("keras_csvlogger_overfit.csv").path,
                               "--output", report.path])
        XCTAssertEqual(compare.status, 0, compare.error)
        XCTAssertTrue(compare.output.contains("tiny") && compare.output.contains("keras_csvlogger_overfit"), compare.output)
        let html = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(html.contains("tiny (2 runs)") && html.contains("<h2>Variants</h2>"))
    }

    /// `kestrel fit` records the data in its history JSON; `kestrel compare` compares two models as siblings
    /// only when their data agree, and says so when they do not.
    func testCompareSaysWhenTheVariantsWereTrainedOnDifferentData() throws {
        func fit(_ name: String, validation: Int, model: String) throws -> String {
            let data = scratch.appendingPathComponent("data-\(name)")
            try TinyPNG.writeTwoClassFolder(data.appendingPathComponent("train"), count: 6)
            try TinyPNG.writeTwoClassFolder(data.appendingPathComponent("validation"), count: validation)
            let out = scratch.appendingPathComponent(name)
            let result = try run(["fit", "--model", model, "--dataset", data.path, "--image-size", "8x8",
                                  "--epochs", "2", "--output", out.path, "--verbose", "0"])
            XCTAssertEqual(result.status, 0, result.error)
            let history = out.appendingPathComponent("history.json").path
            let read = try TrainingLogReader.read(contentsOf: URL(fileURLWithPath: history))
            XCTAssertEqual(read.data?.validationSamples, 2 * validation)
            XCTAssertEqual(read.data?.trainingSamples, 12)
            return history
        }
        let small = try fit("small", validation: 2, model: "flatten, dense 2 softmax")
        let large = try fit("large", validation: 2, model: "flatten, dense 8 relu, dense 2 softmax")
        let other = try fit("other", validation: 3, model: "flatten, dense 8 relu, dense 2 softmax")
        let sentence = "were trained or validated on different data"
        let same = try run(["compare", "small=\(small)", "large=\(large)", "--output", scratch.appendingPathComponent("same.html").path])
        XCTAssertEqual(same.status, 0, same.error)
        XCTAssertFalse(same.output.contains(sentence), same.output)
        let report = scratch.appendingPathComponent("apart.html")
        let apart = try run(["compare", "small=\(small)", "other=\(other)", "--output", report.path])
        XCTAssertEqual(apart.status, 0, apart.error)
        XCTAssertTrue(apart.output.contains("'small' and 'other' \(sentence) (4 validation samples in 'small', 6 in 'other')"), apart.output)
        XCTAssertTrue(try String(contentsOf: report, encoding: .utf8).contains(sentence))
    }

    func testUserErrorsAreOneSentenceAndNonZero() throws {
        let data = scratch.appendingPathComponent("split")
        try TinyPNG.writeTwoClassFolder(data.appendingPathComponent("train"), count: 2)
        try TinyPNG.writeTwoClassFolder(data.appendingPathComponent("validation"), count: 1)
        try assertOneSentenceFailure(["fit", "--model", "dense 12x relu"],
                                     "Model spec layer 1 'dense 12x relu': token 2 '12x' is not a valid units, a whole number ≥ 1.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--dataset", "imagenet"],
                                     "Unknown dataset 'imagenet': use fashion-mnist, mnist, cifar10 or a directory of class sub-folders.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--dataset", "./no-such-folder"],
                                     "--dataset './no-such-folder': no such directory; give a folder of class sub-folders, or one of fashion-mnist, mnist, cifar10.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--seeds", "0"],
                                     "--seeds must be 1…1000 (the number of training runs), got 0.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8",
                                      "--validation-split", "0.2"],
                                     "--validation-split cannot be used with '\(data.path)': it has its own validation/ folder; leave the option out.")
        try assertOneSentenceFailure(["fit", "--model", "/nonexistent/model.json"],
                                     "Cannot read the Keras model file '/nonexistent/model.json': no such file.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--early-stopping", "val_loss"],
                                     "--early-stopping 'val_loss' is not MONITOR:PATIENCE; write e.g. --early-stopping val_loss:3.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--optimizer", "adamax"],
                                     "Unknown --optimizer 'adamax'; use one of adam, adamw, sgd, rmsprop, adagrad.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--augment", "blur"],
                                     "--augment: Augmentation 'blur': unknown item 'blur'; known items: flip, flip:vertical, flip:both, rotate:DEGREES, shift:FRACTION, zoom:FRACTION, contrast:FACTOR.")
        try assertOneSentenceFailure(["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8",
                                      "--early-stopping", "val_auc:2"],
                                     "The callback monitor 'val_auc' will not be logged; use one of loss, accuracy, val_loss, val_accuracy.")
        try assertOneSentenceFailure(["fit", "--model", "input 28x28, flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8"],
                                     "The model spec's input shape [28, 28] differs from the data's sample shape [8, 8, 1]; fix the spec's input layer or leave it out.")
        try assertOneSentenceFailure(["compare", "/nonexistent/a.json"],
                                     "Cannot read the training log '/nonexistent/a.json': no such file.")
        try assertOneSentenceFailure(["demo", "--epochs", "0"], "--epochs must be at least 1, got 0.")
    }

    func testHelpDescribesEveryOption() throws {
        let top = try run(["--help"])
        for command in ["demo", "diagnose", "fit", "compare"] { XCTAssertTrue(top.output.contains(command), command) }
        let fit = try run(["fit", "--help"])
        for option in ["--model", "--dataset", "--epochs", "--batch-size", "--validation-split", "--optimizer", "--learning-rate",
                       "--early-stopping", "--reduce-lr", "--augment", "--seeds", "--output", "dense UNITS", "conv2d FILTERS",
                       "base=digits.keras frozen, dense 64 relu, dense 5 softmax", "unfreeze=N", "Functional config JSON"] {
            XCTAssertTrue(fit.output.contains(option), option)
        }
        let demo = try run(["demo", "--help"])
        XCTAssertTrue(demo.output.contains("--output") && demo.output.contains("Dense(128, relu)"), demo.output)
    }
}
