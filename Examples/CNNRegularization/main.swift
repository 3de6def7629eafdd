// The overfitting CNN (Conv64-Conv64-MaxPool-Conv128-Flatten-Dense256-Dense10, no regularisation)
// against the same network regularised with augmentation + Dropout + EarlyStopping(patience 8,
// restore best) + ReduceLROnPlateau(factor 0.5, patience 3, min 1e-6), side by side.
//
// Data: CIFAR-10 when its archive is present (--cifar-dir DIR, or Kestrel's dataset cache);
// otherwise a Fashion-MNIST subset as 28×28×1 images, which runs here in a few minutes.
//
//   swift run -c release CNNRegularization [--train 2000] [--val 500] [--test 1000] [--epochs 12]
//                                          [--cifar-dir DIR] [--output out/cnn-regularization.html]
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "Training images.") var train = 2000
    @Option(help: "Validation images.") var val = 500
    @Option(help: "Test images.") var test = 1000
    @Option(help: "Epochs per model.") var epochs = 12
    @Option(name: .customLong("cifar-dir"), help: "A folder holding CIFAR-10's binary archive.") var cifarDirectory: String?
    @Option(help: "Where to write the HTML report.") var output = "out/cnn-regularization.html"
}
let options = Options.parseOrExit()
let trainCount = options.train, valCount = options.val, testCount = options.test
let epochs = options.epochs, output = options.output

// CIFAR-10 only when its files are already here (no download); else the documented fallback.
let cifarDirectory = options.cifarDirectory
let cachedCIFAR = DatasetFileLocator.defaultCacheRoot() + "/cifar-10/cifar-10-binary.tar.gz"
let useCIFAR = cifarDirectory != nil || FileManager.default.fileExists(atPath: cachedCIFAR)
let (train, test) = useCIFAR ? try Datasets.cifar10.load(directory: cifarDirectory, showsProgress: false)
                             : try Datasets.fashionMNIST.load()
let imageShape = useCIFAR ? [32, 32, 3] : [28, 28, 1]
func images(_ split: LabeledImages, _ range: Range<Int>) throws -> (Tensor, Tensor) {
    (try split.normalizedX.slice(rows: range).reshaped([range.count] + imageShape), try split.y.slice(rows: range))
}
let (x, y) = try images(train, 0..<trainCount)
let validation = try images(train, trainCount..<(trainCount + valCount))
let (testX, testY) = try images(test, 0..<testCount)
print(useCIFAR ? "Data: CIFAR-10 (32×32×3)" : "Data: CIFAR-10 not found — fallback: Fashion-MNIST as 28×28×1 images",
      "— \(trainCount) train, \(valCount) validation, \(testCount) test images.")

func network(regularized: Bool) throws -> Sequential {
    try Sequential {
        Input(shape: imageShape)
        if regularized { try! RandomAugmentation(parsing: useCIFAR ? "flip,rotate:15,shift:0.1" : "flip,rotate:10,shift:0.1", seed: 5) }
        Conv2D(64, kernelSize: 3, activation: .relu)
        Conv2D(64, kernelSize: 3, activation: .relu)
        MaxPooling2D(poolSize: 2)
        if regularized { Dropout(0.25) }
        Conv2D(128, kernelSize: 3, activation: .relu)
        Flatten()
        Dense(256, activation: .relu)
        if regularized { Dropout(0.5) }
        Dense(10, activation: .softmax)
    }
}

var runs: [(name: String, logs: [TrainingLog])] = []
// Which run is going and the overall ETA before each run; Keras's progress lines follow.
var progress = RunProgress(total: 2)
for regularized in [false, true] {
    Kestrel.setRandomSeed(11)
    let name = regularized ? "regularised" : "no regularisation"
    let model = try network(regularized: regularized)
    try model.compile(optimizer: .adam(learningRate: 0.001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    let callbacks: [Callback] = regularized
        ? [EarlyStopping(monitor: "val_loss", patience: 8, verbose: 1, restoreBestWeights: true),
           try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 3, verbose: 1, minLR: 1e-6)]
        : []
    print("\n=== \(progress.begin(name)) ===")
    if !regularized { model.summary() }
    let start = Date()
    let history = try model.fit(x, y, epochs: epochs, batchSize: 64, verbose: 2, validationData: validation, callbacks: callbacks)
    progress.end()
    let score = try model.evaluate(testX, testY, verbose: 0)
    print(String(format: "%@: %.0f s, test loss %.4f, test accuracy %.4f", name, Date().timeIntervalSince(start), score.loss, score["accuracy"] ?? .nan))
    let log = try TrainingLog(history: history)
    print(TerminalReport.render(try history.diagnose(holdout: HoldoutMetrics(loss: score.loss, accuracy: score["accuracy"])), log: log))
    runs.append((name, [log]))
}

let comparison = try MultiRunAnalyzer().compare(variants: runs)
print(TerminalReport.render(comparison))
var report = HTMLReport(title: "CNN: no regularisation vs regularised",
                        subtitle: (useCIFAR ? "CIFAR-10" : "Fashion-MNIST as 28×28×1 (CIFAR-10 fallback)") + ", \(trainCount) train / \(valCount) validation images, up to \(epochs) epochs")
report.variants = comparison
try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
try report.write(to: URL(fileURLWithPath: output))
print("Report: \(output)")
