import Foundation
import XCTest
import Kestrel

/// Every `kestrel` example of the README, checked: `fit`'s model specs build on the data they name (grey
/// 28×28 images get a channel axis before convolution), the `diagnose` example prints what the README shows,
/// and `--version` and the shell-completion scripts work.
final class ReadmeCommandLineTests: XCTestCase {
    private static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The README's `kestrel fit --model "SPEC" --dataset NAME` examples (quoted text specs only).
    private func fitExamples() throws -> [(spec: String, dataset: String)] {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        var examples: [(String, String)] = []
        for line in joined.split(separator: "\n") where line.contains("kestrel fit --model \"") {
            let afterModel = line.components(separatedBy: "--model \"")[1]
            let spec = afterModel.components(separatedBy: "\"")[0]
            let dataset = line.components(separatedBy: "--dataset ").dropFirst().first?.split(separator: " ").first.map(String.init) ?? ""
            examples.append((spec, dataset))
        }
        return examples
    }

    func testEveryReadmeFitSpecBuildsOnItsDataset() throws {
        let examples = try fitExamples()
        XCTAssertGreaterThanOrEqual(examples.count, 3)
        for (spec, dataset) in examples {
            let specification = try ModelSpecification(parsing: spec.hasPrefix("base=") ? "dense 64 relu, dense 5 softmax" : spec)
            // Built-in grey datasets are 28×28 without a channel axis; image folders are H×W×C.
            let shape = ["mnist", "fashion-mnist"].contains(dataset) ? [28, 28] : [28, 28, 1]
            let model = try specification.makeModel(inputShape: shape)
            let output = try model.predict(try Tensor.zeros([2] + shape), verbose: 0)
            XCTAssertEqual(output.shape.first, 2, spec)
        }
    }

    func testTheReadmeConvolutionExampleGetsAChannelAxisOnMNIST() throws {
        let spec = try XCTUnwrap(try fitExamples().first { $0.spec.hasPrefix("conv2d") && $0.dataset == "mnist" }).spec
        let model = try ModelSpecification(parsing: spec).makeModel(inputShape: [28, 28])
        XCTAssertTrue(model.layers.first is Reshape, "a Reshape to 28×28×1 comes first")
        XCTAssertEqual(try model.predict(try Tensor.zeros([3, 28, 28]), verbose: 0).shape, [3, 10])
        // With augmentation in front the channel axis comes before it too.
        let augmented = try ModelSpecification(parsing: spec)
            .makeModel(inputShape: [28, 28], leadingLayers: [try RandomAugmentation(parsing: "rotate:10,shift:0.1", seed: 1)])
        XCTAssertTrue(augmented.layers.first is Reshape)
        XCTAssertEqual(try augmented.predict(try Tensor.zeros([2, 28, 28]), verbose: 0).shape, [2, 10])
        // A dense network on the same images is left as it is.
        XCTAssertFalse(try ModelSpecification(parsing: "flatten, dense 10 softmax").makeModel(inputShape: [28, 28]).layers.first is Reshape)
    }

    func testTheReadmeDiagnoseExamplePrintsWhatTheReadmeShows() throws {
        let result = try KestrelExecutable.run(["diagnose", Fixtures.url("keras_csvlogger_overfit.csv").path,
                                                "--test-loss", "1.8", "--test-accuracy", "0.64"])
        XCTAssertEqual(result.status, 0, result.error)
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        for line in result.output.split(separator: "\n").prefix(2) {
            XCTAssertTrue(readme.contains("    " + line), "README shows: \(line)")
        }
    }

    func testVersionAndShellCompletions() throws {
        let version = try KestrelExecutable.run(["--version"])
        XCTAssertEqual(version.status, 0, version.error)
        XCTAssertEqual(version.output.trimmingCharacters(in: .whitespacesAndNewlines),
                       "kestrel \(Kestrel.version) (Keras \(Kestrel.kerasVersion) API and file format)")
        for shell in ["bash", "zsh", "fish"] {
            let script = try KestrelExecutable.run(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, shell + script.error)
            XCTAssertTrue(script.output.contains("kestrel") && script.output.contains("diagnose"), shell)
        }
    }
}
