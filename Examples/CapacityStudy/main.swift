// The capacity study of the Keras overfitting tutorial: Smaller (4-4), Baseline (16-16) and
// Bigger (512-512) dense networks on the same data, curves overlaid, a verdict for each.
//
//   swift run -c release CapacityStudy [--epochs 20] [--train 12000] [--output out/capacity-study.html]
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "Epochs per model.") var epochs = 20
    @Option(help: "Training images (the first ones of Fashion-MNIST).") var train = 12000
    @Option(help: "Where to write the HTML report.") var output = "out/capacity-study.html"
}
let options = Options.parseOrExit()
let epochs = options.epochs, trainCount = options.train, output = options.output

// A Fashion-MNIST subset: small enough that the big network can memorise it.
let (train, _) = try Datasets.fashionMNIST.load()
let x = try train.normalizedX.slice(rows: 0..<trainCount), y = try train.y.slice(rows: 0..<trainCount)
print("Fashion-MNIST, first \(trainCount) training images (20% of them for validation).")

var runs: [(name: String, logs: [TrainingLog])] = []
var verdicts: [String] = []
// Which run is going and the overall ETA before each run; Keras's progress lines follow.
var progress = RunProgress(total: 3)
for (name, units) in [("Smaller (4-4)", 4), ("Baseline (16-16)", 16), ("Bigger (512-512)", 512)] {
    Kestrel.setRandomSeed(7)
    let model = try Sequential {
        Input(shape: [28, 28])
        Flatten()
        Dense(units, activation: .relu)
        Dense(units, activation: .relu)
        Dense(10, activation: .softmax)
    }
    try model.compile(optimizer: .adam(learningRate: 0.001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    print("\n=== \(progress.begin(name)): \(model.countParams()) parameters ===")
    let history = try model.fit(x, y, epochs: epochs, batchSize: 64, verbose: 2, validationSplit: 0.2)
    progress.end()
    let diagnosis = try history.diagnose()
    verdicts.append("\(name): \(diagnosis.verdict.title) — \(diagnosis.headline)")
    runs.append((name, [try TrainingLog(history: history)]))
}

let comparison = try MultiRunAnalyzer().compare(variants: runs)
print("\n" + TerminalReport.render(comparison))
print("Verdicts:\n" + verdicts.map { "  • " + $0 }.joined(separator: "\n"))
var report = HTMLReport(title: "Capacity study: Smaller, Baseline, Bigger",
                        subtitle: "Fashion-MNIST, \(trainCount) images (20% validation), \(epochs) epochs, Adam, batch 64")
report.variants = comparison
try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
try report.write(to: URL(fileURLWithPath: output))
print("Report: \(output)")
