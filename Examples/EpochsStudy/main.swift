// How many epochs? The same small network on a small dataset, trained for 5 and for 40 epochs:
// after 5 it is still learning (under-trained); after 40 it has converged (a good fit here).
//
//   swift run -c release EpochsStudy [--train 10000] [--learning-rate 0.02] [--output out/epochs-study.html]
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "Training images (the first ones of Fashion-MNIST).") var train = 10000
    @Option(help: "SGD's learning rate.") var learningRate: Float = 0.02
    @Option(help: "Where to write the HTML report.") var output = "out/epochs-study.html"
}
let options = Options.parseOrExit()
let trainCount = options.train, output = options.output, learningRate = options.learningRate

let (train, test) = try Datasets.fashionMNIST.load()
let x = try train.normalizedX.slice(rows: 0..<trainCount), y = try train.y.slice(rows: 0..<trainCount)
print("Fashion-MNIST, first \(trainCount) training images (20% of them for validation).")

var runs: [(name: String, logs: [TrainingLog])] = []
// Which run is going and the overall ETA before each run (scaled by the runs' epochs); Keras's progress lines follow.
var progress = RunProgress(work: [5, 40])
for epochs in [5, 40] {
    Kestrel.setRandomSeed(3)
    let model = try Sequential {
        Input(shape: [28, 28])
        Flatten()
        Dense(64, activation: .relu)
        Dense(10, activation: .softmax)
    }
    // Plain SGD learns slowly enough that 5 epochs are visibly not enough.
    try model.compile(optimizer: .sgd(learningRate: learningRate), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    print("\n=== \(progress.begin("\(epochs) epochs")) ===")
    let history = try model.fit(x, y, epochs: epochs, batchSize: 32, verbose: 2, validationSplit: 0.2)
    progress.end()
    let score = try model.evaluate(test.normalizedX, test.y, verbose: 0)
    let diagnosis = try history.diagnose(holdout: HoldoutMetrics(loss: score.loss, accuracy: score["accuracy"]))
    print(String(format: "test accuracy %.4f", score["accuracy"] ?? .nan))
    print(TerminalReport.render(diagnosis, log: try TrainingLog(history: history)))
    runs.append(("\(epochs) epochs", [try TrainingLog(history: history)]))
}

let comparison = try MultiRunAnalyzer().compare(variants: runs)
print(TerminalReport.render(comparison))
var report = HTMLReport(title: "Epochs study: 5 vs 40 epochs", subtitle: "Fashion-MNIST, \(trainCount) images, Dense(64) MLP, SGD \(learningRate)")
report.variants = comparison
try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
try report.write(to: URL(fileURLWithPath: output))
print("Report: \(output)")
