// The Fashion-MNIST MLP tutorial and its classic "improve it" variants — 32 vs 128 neurons,
// more layers, Dropout(0.5) — trained one after another and compared in one report.
//
//   swift run -c release MLPVariants [--epochs 20] [--output out/mlp-variants.html]
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "Epochs per variant.") var epochs = 20
    @Option(help: "Where to write the HTML report.") var output = "out/mlp-variants.html"
}
let options = Options.parseOrExit()
let epochs = options.epochs, output = options.output

let (train, test) = try Datasets.fashionMNIST.load()
let (x, y) = (train.normalizedX, train.y)

let variants: [(name: String, layers: () -> [Layer])] = [
    ("32 neurons", { [Flatten(), Dense(32, activation: .relu), Dense(10, activation: .softmax)] }),
    ("128 neurons", { [Flatten(), Dense(128, activation: .relu), Dense(10, activation: .softmax)] }),
    ("more layers (128-64-32)", { [Flatten(), Dense(128, activation: .relu), Dense(64, activation: .relu),
                                   Dense(32, activation: .relu), Dense(10, activation: .softmax)] }),
    ("128 + Dropout(0.5)", { [Flatten(), Dense(128, activation: .relu), Dropout(0.5), Dense(10, activation: .softmax)] }),
]

var runs: [(name: String, logs: [TrainingLog])] = []
// Which run is going and the overall ETA before each run; Keras's progress lines follow.
var progress = RunProgress(total: variants.count)
for variant in variants {
    Kestrel.setRandomSeed(1)
    let model = try Sequential([Input(shape: [28, 28])] + variant.layers())
    try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    print("\n=== \(progress.begin(variant.name)): \(model.countParams()) parameters ===")
    let history = try model.fit(x, y, epochs: epochs, batchSize: 64, verbose: 2, validationSplit: 0.2)
    progress.end()
    let score = try model.evaluate(test.normalizedX, test.y, verbose: 0)
    print(String(format: "test accuracy %.4f — %@", score["accuracy"] ?? .nan, try history.diagnose().headline))
    runs.append((variant.name, [try TrainingLog(history: history)]))
}

let comparison = try MultiRunAnalyzer().compare(variants: runs)
print("\n" + TerminalReport.render(comparison))
var report = HTMLReport(title: "Fashion-MNIST MLP variants", subtitle: "\(epochs) epochs each, Adam, batch 64, validationSplit 0.2")
report.variants = comparison
try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
try report.write(to: URL(fileURLWithPath: output))
print("Report: \(output)")
