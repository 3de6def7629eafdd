import XCTest
import Kestrel
import KestrelDiagnostics

/// Keeps the README's "How user code reads" snippet compiling: the function below is that snippet.
final class ReadmeSnippetTests: XCTestCase {
    func readmeSnippet() throws {
        let (train, test) = try Datasets.fashionMNIST.load()
        let model = try Sequential {
            Input(shape: [28, 28])
            Flatten()
            Dense(128, activation: .relu)
            Dropout(0.5)
            Dense(10, activation: .softmax)
        }
        try model.compile(optimizer: .adam(learningRate: 0.001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        model.summary()
        let history = try model.fit(train.normalizedX, train.y, epochs: 50, batchSize: 64, validationSplit: 0.2,
                                    callbacks: [EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)])
        let (loss, accuracy) = try model.evaluate(test.normalizedX, test.y)
        print(TerminalReport.render(try history.diagnose(), log: try TrainingLog(history: history)))  // the verdict
        _ = (loss, accuracy)
    }

    /// The README's "Watching training and keeping the figures" snippet (compiled, not run: it trains on Fashion-MNIST).
    func watchingSnippet(model: Sequential, train: LabeledImages, test: LabeledImages) throws {
        let history = try model.fit(train.normalizedX, train.y, epochs: 20, validationSplit: 0.2,
                                    callbacks: [try TensorBoard(logDir: "logs", histogramFreq: 1, updateFreq: .batches(100))])
        try history.plot(to: "curves.png")              // loss | accuracy side by side, like plt.subplot(1, 2, …); or .svg
        try Report(model: model, history: history, test: test).write(to: "report.html")   // the page `kestrel fit` writes
    }

    func testWatchingSnippetIsTheReadmeOne() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for line in ["callbacks: [try TensorBoard(logDir: \"logs\", histogramFreq: 1, updateFreq: .batches(100))])",
                     "try history.plot(to: \"curves.png\")", "try Report(model: model, history: history, test: test).write(to: \"report.html\")"] {
            XCTAssertTrue(text.contains(line), line)
        }
    }

    func testSnippetIsTheReadmeOne() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        XCTAssertTrue(text.contains("let (loss, accuracy) = try model.evaluate(test.normalizedX, test.y)"))
        XCTAssertTrue(text.contains("print(TerminalReport.render(try history.diagnose(), log: try TrainingLog(history: history)))"))
    }
}
