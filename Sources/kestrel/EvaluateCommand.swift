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

    @Option(help: "Loss for a model saved without a compile config.")
    var loss: String = "sparse_categorical_crossentropy"

    @Option(name: .customLong("batch-size"), help: "Samples per batch.")
    var batchSize: Int = 32

    func run() throws {
        let network = try ModelFile.load(model, weights: weights)
        let shape = try ModelFile.inputShape(network)
        guard shape.count == 3 || shape.count == 2 else {
            throw CommandFailure(message: "The model's input \(shape) is not an image; evaluate needs an image model.")
        }
        let channels = shape.count == 3 ? shape[2] : 1
        let colorMode: ColorMode = channels == 1 ? .grayscale : (channels == 3 ? .rgb : .rgba)
        let data = try DatasetSource.load(dataset, imageSize: (shape[0], shape[1]), colorMode: colorMode, seed: 0)
        let (split, images) = data.test.map { ("test", $0) } ?? data.validation.map { ("validation", $0) } ?? ("all", data.train)
        do {
            if network.optimizer == nil { try network.compile(optimizer: "adam", loss: loss, metrics: ["accuracy"]) }
            let x = try images.normalizedX.reshaped([images.count] + shape)
            let result = try network.evaluate(x, Tensor(labels: images.labels), batchSize: batchSize, verbose: 0)
            let values = zip(result.names, result.values).map { "\($0): \(String(format: "%.4f", $1))" }
            print("\(data.description) · \(split) images (\(images.count)): " + values.joined(separator: " - "))
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        }
    }
}
