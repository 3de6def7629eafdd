import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics

/// `kestrel evaluate MODEL --dataset …`: Keras's `evaluate` on a built-in dataset's test set or a folder of images.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a saved model on a dataset (its test split, else all its images): loss and metrics.")

    @Argument(help: "The model (.keras, or .json with --weights).")
    var model: String

    @Option(help: "Weights (.weights.h5) for a .json MODEL.")
    var weights: String?

    @Option(help: "fashion-mnist, mnist, cifar10, or a directory of images in class sub-folders (pixels divided by 255).")
    var dataset: String = "fashion-mnist"

    @Option(help: "Loss for a model saved without a compile config (default sparse_categorical_crossentropy).")
    var loss: String?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Samples per batch.")
    var batchSize: Int = 32

    func run() throws {
        if batchSize < 1 { throw CommandFailure(message: "--batch-size must be at least 1, got \(batchSize).") }
        if let loss {
            do { _ = try Loss.named(loss) } catch { throw CommandFailure(message: "--loss: \(error)") }
        }
        let network = try ModelFile.load(model, weights: weights)
        if loss != nil, network.optimizer != nil {
            throw CommandFailure(message: "--loss is for a model saved without a compile config; '\(model)' was saved compiled and is evaluated with its own loss. Leave --loss out.")
        }
        let shape = try ModelFile.inputShape(network)
        guard shape.count == 3 || shape.count == 2 else {
            throw CommandFailure(message: "The model's input \(shape) is not an image; evaluate needs an image model.")
        }
        let channels = shape.count == 3 ? shape[2] : 1
        let colorMode: ColorMode = channels == 1 ? .grayscale : (channels == 3 ? .rgb : .rgba)
        let data = try DatasetSource.load(dataset, imageSize: (shape[0], shape[1]), colorMode: colorMode, seed: 0)
        let (split, images) = data.test.map { ("test", $0) } ?? data.validation.map { ("validation", $0) } ?? ("all", data.train)
        try ModelFile.checkClassNames(images.classNames, of: network, source: "--dataset '\(dataset)'")
        do {
            if network.optimizer == nil {
                try network.compile(optimizer: "adam", loss: loss ?? "sparse_categorical_crossentropy", metrics: ["accuracy"])
            }
            let x = try images.normalizedX.reshaped([images.count] + shape)
            let result = try network.evaluate(x, Tensor(labels: images.labels), batchSize: batchSize, verbose: 0)
            let values = zip(result.names, result.values).map { "\($0): \(String(format: "%.4f", $1))" }
            print("\(data.description) · \(split) images (\(images.count)): " + values.joined(separator: " - "))
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        }
    }
}
