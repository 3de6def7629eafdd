// Keras's classic transfer-learning experiment: a small CNN learns classes 0–4, is saved as .keras
// and reloaded; its convolution base, frozen (`trainable = false`), goes under a new head that learns
// classes 5–9 from only ~50 images per class. Side by side, n seeds each: that frozen transfer, the
// same network trained from scratch on those images, and a fine-tuned transfer (the frozen model's
// top convolution block unfrozen afterwards, recompiled with the learning rate ÷ 10). Learning curves,
// verdicts and test accuracy with 95 % intervals go into one HTML report. Last, the tutorial's final
// step: the saved transfer model classifies one image file (load → 28×28 grayscale → invert → predict).
//
// Data: MNIST when its four IDX files are present (--mnist-dir DIR, or Kestrel's dataset cache; nothing
// is downloaded), else Fashion-MNIST (Debian's dataset-fashion-mnist or the cache).
//
//   swift run -c release TransferLearning [--per-class 50] [--seeds 3] [IMAGE] [--output out/transfer-learning]
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Argument(help: "A PNG or JPEG picture to classify at the end (default: a test image of classes 5–9 written to the output folder).")
    var image: String?
    @Option(help: "Training images per class for classes 5–9.") var perClass = 50
    @Option(help: "Seeds (runs) per variant.") var seeds = 3
    @Option(help: "Training images per class for the base model (classes 0–4; 6000 = all).") var baseImages = 6000
    @Option(help: "Epochs of the base model.") var baseEpochs = 5
    @Option(help: "Epochs of the new head (and of training from scratch).") var epochs = 20
    @Option(help: "Further epochs of the fine-tuned variant (top block unfrozen).") var fineTuneEpochs = 10
    @Option(name: .customLong("mnist-dir"), help: "A folder holding MNIST's four IDX files.") var mnistDirectory: String?
    @Option(help: "Folder for the report, the models and the sample image.") var output = "out/transfer-learning"
}
let options = Options.parseOrExit()
let started = Date()
try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)

// MARK: Data — MNIST only when its files are already here, else Fashion-MNIST.

let mnistFiles = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
let mnistFolder = options.mnistDirectory ?? DatasetFileLocator.defaultCacheRoot() + "/mnist"
let useMNIST = mnistFiles.allSatisfy { FileManager.default.fileExists(atPath: mnistFolder + "/" + $0) }
let (train, test) = useMNIST ? try Datasets.mnist.load(directory: mnistFolder, showsProgress: false)
                             : try Datasets.fashionMNIST.load()
let datasetName = useMNIST ? "MNIST" : "Fashion-MNIST"
print(useMNIST ? "Data: MNIST (\(mnistFolder))"
               : "Data: MNIST's IDX files not found in \(mnistFolder) — using Fashion-MNIST (\(train.count) train, \(test.count) test images)")

/// Up to `count` images of each class in `classes`, starting at the `offset`-th image of each class;
/// labels renumbered 0… in the order of `classes`. x is [n, 28, 28, 1] scaled to 0…1.
func subset(_ split: LabeledImages, classes: [Int], count: Int, offset: Int = 0) throws -> (x: Tensor, y: Tensor) {
    var seen = [Int: Int](), chosen: [(index: Int, label: Int)] = []
    for (index, label) in split.labels.enumerated() {
        guard let position = classes.firstIndex(of: label) else { continue }
        let rank = seen[position, default: 0]
        seen[position] = rank + 1
        if rank >= offset && rank < offset + count { chosen.append((index, position)) }
    }
    var pixels = [Float](), labels = [Float]()
    pixels.reserveCapacity(chosen.count * 784)
    for (index, label) in chosen {
        pixels += split.pixels[(index * 784)..<((index + 1) * 784)].map { Float($0) / 255 }
        labels.append(Float(label))
    }
    return (try Tensor(shape: [chosen.count, 28, 28, 1], scalars: pixels), Tensor(labels))
}

let firstClasses = [0, 1, 2, 3, 4], secondClasses = [5, 6, 7, 8, 9]
let secondNames = secondClasses.map { train.classNames[$0] }
let baseTrain = try subset(train, classes: firstClasses, count: options.baseImages)
let baseTest = try subset(test, classes: firstClasses, count: 1000)
let newTest = try subset(test, classes: secondClasses, count: 1000)
// Validation images for classes 5–9 come after all the seeds' training images.
let newValidation = try subset(train, classes: secondClasses, count: 50, offset: options.seeds * options.perClass)

// MARK: 1. The base model on classes 0–4, saved as .keras.

/// The convolution base (two blocks) and a 5-way head; `prefix` names the layers.
func convolutionBase() -> [Layer] {
    [Conv2D(16, kernelSize: 3, activation: .relu, name: "block1_conv"), MaxPooling2D(name: "block1_pool"),
     Conv2D(32, kernelSize: 3, activation: .relu, name: "block2_conv"), MaxPooling2D(name: "block2_pool"),
     Flatten(name: "flatten")]
}
func head(_ prefix: String) -> [Layer] {
    [Dense(64, activation: .relu, name: "\(prefix)_dense"), Dropout(0.3, name: "\(prefix)_dropout"),
     Dense(5, activation: .softmax, name: "\(prefix)_predictions")]
}

Kestrel.setRandomSeed(100)
let base = try Sequential([Input(shape: [28, 28, 1])] + convolutionBase() + head("base"), name: "base_0_to_4")
try base.compile(optimizer: .adam(learningRate: 0.001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
print("\n=== Base model: classes 0–4 (\(firstClasses.map { train.classNames[$0] }.joined(separator: ", "))), \(baseTrain.x.shape[0]) images ===")
base.summary()
try base.fit(baseTrain.x, baseTrain.y, epochs: options.baseEpochs, batchSize: 64, verbose: 2, validationSplit: 0.1)
let baseScore = try base.evaluate(baseTest.x, baseTest.y, verbose: 0)
let basePath = options.output + "/base_0_to_4.keras"
try base.save(basePath)
print(String(format: "base model: test accuracy on classes 0–4 %.4f; saved to %@", baseScore["accuracy"] ?? .nan, basePath))

// MARK: 2. Three variants on classes 5–9, n seeds each.

enum Variant: String, CaseIterable {
    case frozen = "transfer, frozen base"
    case fineTuned = "transfer + fine-tuned top block"
    case scratch = "from scratch"
}

/// The saved base's convolution layers (reloaded from the .keras file, so every run starts from it).
func reloadedBase() throws -> [Layer] {
    let loaded = try loadModel(basePath, compile: false)
    return Array(loaded.layers.prefix(while: { !($0 is Dense) }))
}

var logs: [Variant: [TrainingLog]] = [:], accuracies: [Variant: [Double]] = [:]
var savedTransferPath: String?
var progress = RunProgress(total: Variant.allCases.count * options.seeds)
for seed in 0..<options.seeds {
    let data = try subset(train, classes: secondClasses, count: options.perClass, offset: seed * options.perClass)
    for variant in [Variant.frozen, .scratch] {
        Kestrel.setRandomSeed(UInt64(seed + 1))
        let baseLayers = variant == .scratch ? convolutionBase() : try reloadedBase()
        if variant == .frozen { for layer in baseLayers { layer.trainable = false } }  // Keras: base.trainable = False
        let model = try Sequential([Input(shape: [28, 28, 1])] + baseLayers + head("new"), name: "classes_5_to_9")
        try model.compile(optimizer: .adam(learningRate: 0.001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        print("\n=== \(progress.begin("\(variant.rawValue), seed \(seed)")): \(model.trainableWeights.reduce(0) { $0 + $1.value.count }) trainable of \(model.countParams()) parameters ===")
        let history = try model.fit(data.x, data.y, epochs: options.epochs, batchSize: 32, verbose: 0,
                                    validationData: (newValidation.x, newValidation.y))
        progress.end()
        let log = try TrainingLog(history: history)
        let score = try model.evaluate(newTest.x, newTest.y, verbose: 0)
        logs[variant, default: []].append(log)
        accuracies[variant, default: []].append(score["accuracy"] ?? .nan)
        print(String(format: "%@ seed %d: test accuracy %.4f — %@", variant.rawValue, seed, score["accuracy"] ?? .nan,
                     try history.diagnose().headline))
        guard variant == .frozen else { continue }

        // Fine-tuning (Keras's recipe): unfreeze the top convolution block, recompile with the learning
        // rate ÷ 10 (a change of `trainable` takes effect at compile), train a few more epochs.
        print("\n=== \(progress.begin("\(Variant.fineTuned.rawValue), seed \(seed)")): block2_conv unfrozen, learning rate 0.0001 ===")
        baseLayers[2].trainable = true
        try model.compile(optimizer: .adam(learningRate: 0.0001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let more = try model.fit(data.x, data.y, epochs: options.epochs + options.fineTuneEpochs, batchSize: 32, verbose: 0,
                                 validationData: (newValidation.x, newValidation.y), initialEpoch: options.epochs)
        progress.end()
        // The fine-tuned run's curves: the frozen epochs, then the unfrozen ones.
        var series = history.history
        for (key, values) in more.history { series[key, default: []] += values }
        logs[.fineTuned, default: []].append(try TrainingLog(series: series.dictionary))
        let tuned = try model.evaluate(newTest.x, newTest.y, verbose: 0)
        accuracies[.fineTuned, default: []].append(tuned["accuracy"] ?? .nan)
        print(String(format: "%@ seed %d: test accuracy %.4f", Variant.fineTuned.rawValue, seed, tuned["accuracy"] ?? .nan))
        if seed == 0 {
            let path = options.output + "/transfer_5_to_9.keras"
            try model.save(path)
            savedTransferPath = path
        }
    }
}

// MARK: 3. The report.

let names = Variant.allCases.map(\.rawValue)
var comparison = try MultiRunAnalyzer().compare(variants: Variant.allCases.map { ($0.rawValue, logs[$0] ?? []) })
comparison.setHeldOut(Dictionary(uniqueKeysWithValues: Variant.allCases.map { ($0.rawValue, accuracies[$0] ?? []) }),
                      name: "Test accuracy")
print("\n" + TerminalReport.render(comparison))
for variant in Variant.allCases {
    if let interval = ConfidenceInterval(values: accuracies[variant] ?? []) {
        print("\(variant.rawValue): test accuracy \(interval.text)")
    }
}
var report = HTMLReport(title: "Transfer learning: classes 0–4 → 5–9",
                        subtitle: "\(datasetName); base trained on \(baseTrain.x.shape[0]) images of classes 0–4 (test accuracy \(String(format: "%.3f", baseScore["accuracy"] ?? .nan))), "
                            + "then \(options.perClass) images per class of \(secondNames.joined(separator: ", ")); \(options.seeds) seeds per variant; "
                            + "\(options.epochs) epochs (+\(options.fineTuneEpochs) fine-tuning epochs at learning rate 0.0001). "
                            + "Each fine-tuned run continues its seed's frozen run, so their first \(options.epochs) epochs coincide (the frozen curves lie under the fine-tuned ones).")
report.variants = comparison
report.modelSummary = try loadModel(savedTransferPath ?? basePath, compile: false).summaryText()
let reportPath = options.output + "/report.html"
try report.write(to: URL(fileURLWithPath: reportPath))
print("Report: \(reportPath) (variants: \(names.joined(separator: ", ")))")

// MARK: 4. Classify one image file with the saved model.

let imagePath: String
if let given = options.image {
    imagePath = given
} else {
    // The first test image of classes 5–9, inverted to dark-on-light and enlarged 4× like a small photo.
    let index = test.labels.firstIndex { secondClasses.contains($0) } ?? 0
    let pixels = test.pixels[(index * 784)..<((index + 1) * 784)].map { 255 - $0 }
    let photo = try RasterImage(pixels: Array(pixels), height: 28, width: 28, channels: 1).resized(height: 112, width: 112)
    imagePath = options.output + "/sample.png"
    try ImageFile.write(photo, to: imagePath)
    print("\nWrote \(imagePath): test image \(index), class '\(test.classNames[test.labels[index]])'.")
}
let classifier = try loadModel(savedTransferPath ?? basePath)
let picture = try loadImg(imagePath, targetSize: (28, 28), colorMode: .grayscale, interpolation: .bilinear)
let input = try Tensor(shape: [1, 28, 28, 1], scalars: picture.pixels.map { Float(255 - $0) / 255 })  // invert, scale to 0…1
let probabilities = try classifier.predict(input).scalars
let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
let labels = savedTransferPath == nil ? firstClasses.map { train.classNames[$0] } : secondNames
print("\(imagePath): \(labels[ranked[0]]) (\(String(format: "%.1f", probabilities[ranked[0]] * 100))%), then "
      + ranked.dropFirst().prefix(2).map { "\(labels[$0]) (\(String(format: "%.1f", probabilities[$0] * 100))%)" }.joined(separator: ", "))
print(String(format: "Total time %.0f s.", Date().timeIntervalSince(started)))
