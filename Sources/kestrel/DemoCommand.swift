import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelRecipes

/// `kestrel demo`: the classic Keras tutorial on Fashion-MNIST, end to end — summary, progress
/// bars, test score, the learning-curve diagnosis and an HTML report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train the classic Fashion-MNIST tutorial network and diagnose it (what `make demo` runs).",
        discussion: """
        Input([28, 28]) → Flatten → Dense(128, relu) → Dense(10, softmax), Adam(0.001), \
        sparse categorical cross-entropy, batch 64, the last 20% of the training images held out \
        for validation, pixels divided by 255. Prints the model summary, the progress bars, the \
        test loss and accuracy, and the diagnosis; writes an HTML report (curves, gap, confusion \
        matrix and per-class scores on the test set, misclassified test images, the model) and \
        the history as JSON and CSV next to it.

        The data come from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), \
        the Kestrel cache ($KESTREL_HOME/datasets), or a download.
        """
    )

    @Option(parsing: .unconditional, help: "Epochs to train (enough to show the val_loss turning up).")
    var epochs: Int = 40

    @Option(help: "Where to write the HTML report; the history goes next to it as <name>-history.json/.csv.")
    var output: String = "out/demo-report.html"

    @Option(parsing: .unconditional, help: "Random seed for weight initialisation, shuffling and the split (a whole number ≥ 0).")
    var seed: UInt64 = 42

    @Option(name: .customLong("data-dir"), help: "A directory holding the four Fashion-MNIST IDX files, instead of the usual lookup.")
    var dataDirectory: String?

    func run() throws {
        StandardOutput.lineBuffered()
        if epochs < 1 { throw CommandFailure(message: "--epochs must be at least 1, got \(epochs).") }
        if !output.lowercased().hasSuffix(".html") {
            throw CommandFailure(message: "--output must name an .html file, got '\(output)'.")
        }
        let reportURL = URL(fileURLWithPath: output)
        let directory = reportURL.deletingLastPathComponent()
        try RunArtifacts.makeDirectory(directory, option: "--output")

        let (train, test): (LabeledImages, LabeledImages)
        do {
            (train, test) = try Datasets.fashionMNIST.load(directory: dataDirectory)
        } catch {
            throw CommandFailure(message: "Cannot load Fashion-MNIST (\(error)); install Debian's dataset-fashion-mnist (`make deps`) or pass --data-dir.")
        }
        print("Fashion-MNIST: \(train.count) training images (\(Int(Double(train.count) * 0.8)) train + \(train.count - Int(Double(train.count) * 0.8)) validation), \(test.count) test images.\n")

        let specification = try ModelSpecification(parsing: "input 28x28, flatten, dense 128 relu, dense 10 softmax")
        let recipe = TrainingRecipe(specification: specification, optimizer: "adam", learningRate: 0.001,
                                    epochs: epochs, batchSize: 64, validationSplit: 0.2)
        let data = TrainingData(train: train, test: test, description: "Fashion-MNIST")
        let run = try TrainingSteps.commandFailure {
            try RecipeTrainer(recipe: recipe, data: data).train(seed: seed) { model in
                model.summary()
                print()
            }
        }
        let model = run.model, history = run.history, trainingSeconds = run.trainingSeconds
        print(String(format: "\nTrained %d epochs in %.1f s (%.2f s per epoch).", history.epoch.count, trainingSeconds,
                     trainingSeconds / Double(max(history.epoch.count, 1))))

        let evaluation = try TrainingSteps.evaluate(run, on: test, trailingNewline: true)
        let testAccuracy = evaluation.values["accuracy"]
        let log = run.log
        let diagnosis = TrainingSteps.diagnose(log, holdout: evaluation)
        let options = DiagnosisOptions()

        // The per-class view: test set, plus the training part of the split for the per-class gap.
        let trainCount = Int(Double(train.count) * 0.8)
        let trainPart = train.slice(0..<trainCount)
        var report = try Report(model: model, log: log, diagnosis: diagnosis, heldOut: test, heldOutName: "test",
                                title: "Kestrel demo: Fashion-MNIST MLP",
                                subtitle: String(format: "Flatten → Dense(128, relu) → Dense(10, softmax), Adam 0.001, batch 64, %d epochs in %.1f s · test loss %.4f, test accuracy %.4f · per-class view on the %d test images",
                                                 history.epoch.count, trainingSeconds, evaluation.values["loss"] ?? .nan, testAccuracy ?? .nan, test.count),
                                options: options)
        report.page.trainConfusionMatrix = try ConfusionMatrix(model: model, x: trainPart.normalizedX, y: trainPart.y, classNames: train.classNames)
        try RunArtifacts.writeReport(report.page, to: reportURL)
        let stem = reportURL.deletingPathExtension().lastPathComponent + "-history"
        let historyPaths = try RunArtifacts.writeHistory(history, directory: directory, stem: stem)
        print("Report:  \(reportURL.path)")
        print("History: \(historyPaths.joined(separator: ", "))")
    }
}
