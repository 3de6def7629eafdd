import ArgumentParser
import Foundation
import Kestrel

/// `kestrel predict MODEL INPUT…`: Keras's `predict` from the command line, on a `.npy` array or on
/// image files and folders.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model: a .npy array to a .npy of probabilities, or images to one line each.",
        discussion: """
        MODEL is a .keras file, or a Keras architecture .json with --weights FILE.weights.h5.
        With --input X.npy --output Y.npy the model's outputs (probabilities) go to Y.npy.
        Otherwise each INPUT is an image file or a folder of images (PNG/JPEG, searched
        recursively); every image is resized to the model's input (as Keras's load_img),
        multiplied by --rescale (1/255 by default, as kestrel fit trains) and printed as one
        line: the file, the predicted class (name from --class-names, else the class names
        saved with the model — kestrel fit on image folders keeps them — else index) and the
        top-3 probabilities.
        """)

    @Argument(help: "The model (.keras, or .json with --weights).")
    var model: String

    @Argument(help: "Image files or folders of images.")
    var inputs: [String] = []

    @Option(help: "Weights (.weights.h5) for a .json MODEL (or to replace a .keras file's weights).")
    var weights: String?

    @Option(help: "A .npy array of inputs (first axis: samples).")
    var input: String?

    @Option(help: "Where --input's predictions go (.npy, float32).")
    var output: String?

    @Option(name: .customLong("class-names"), help: "Comma-separated class names, in label order (default: those saved in the .keras file).")
    var classNames: String?

    @Option(help: "Pixel scale applied to images before predicting.")
    var rescale: Double = 1.0 / 255

    @Option(name: .customLong("batch-size"), help: "Samples per predict batch.")
    var batchSize: Int = 32

    func run() throws {
        let network = try ModelFile.load(model, weights: weights)
        if let input {
            guard let output else { throw CommandFailure(message: "--input needs --output Y.npy for the predictions.") }
            guard inputs.isEmpty else { throw CommandFailure(message: "Give either --input X.npy or image paths, not both.") }
            try predictArray(network, input: input, output: output)
            return
        }
        guard !inputs.isEmpty else { throw CommandFailure(message: "Give image files or folders to predict, or --input X.npy --output Y.npy.") }
        try predictImages(network)
    }

    private func predictArray(_ network: Model, input: String, output: String) throws {
        do {
            let x = try Tensor(npyFile: input)
            let predictions = try network.predict(x, batchSize: batchSize, verbose: 0)
            try predictions.saveNpy(output)
            print("Wrote predictions of shape \(predictions.shape) to \(output)")
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        }
    }

    private func predictImages(_ network: Model) throws {
        let modelShape = try ModelFile.inputShape(network)
        // A model trained on (height, width) arrays — `kestrel fit` on MNIST/Fashion-MNIST, Keras's
        // `Input(shape=(28, 28))` — takes grayscale images without the channel axis.
        let shape = modelShape.count == 2 ? modelShape + [1] : modelShape
        guard shape.count == 3, [1, 3, 4].contains(shape[2]) else {
            throw CommandFailure(message: "The model's input \(modelShape) is not an image (height, width, 1/3/4 channels); use --input X.npy.")
        }
        let colorMode: ColorMode = shape[2] == 1 ? .grayscale : (shape[2] == 3 ? .rgb : .rgba)
        let names = classNames?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? network.classNames
        for path in try imagePaths() {
            let probabilities: [Float]
            do {
                let image = try loadImg(path, targetSize: (shape[0], shape[1]), colorMode: colorMode)
                let (values, imageShape) = imgToArray(image)
                let x = try Tensor(shape: [1] + (modelShape.count == 2 ? modelShape : imageShape), scalars: values.map { $0 * Float(rescale) })
                probabilities = try network.predict(x, verbose: 0).scalars
            } catch {
                throw CommandFailure(message: "\(path): \(error)")
            }
            let ranked = probabilities.enumerated().sorted { $0.element > $1.element }.prefix(3)
            func label(_ index: Int) -> String { names.flatMap { index < $0.count ? $0[index] : nil } ?? String(index) }
            let top = ranked.map { "\(label($0.offset)) \(String(format: "%.4f", $0.element))" }.joined(separator: "  ")
            print("\(path)\t\(label(ranked.first?.offset ?? 0))\t\(top)")
        }
    }

    private func imagePaths() throws -> [String] {
        let extensions: Set<String> = ["png", "jpg", "jpeg"]
        var paths: [String] = []
        for input in inputs {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else {
                throw CommandFailure(message: "'\(input)' does not exist.")
            }
            guard isFolder.boolValue else { paths.append(input); continue }
            let found = (FileManager.default.subpaths(atPath: input) ?? [])
                .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
            if found.isEmpty { throw CommandFailure(message: "The folder '\(input)' holds no PNG or JPEG image.") }
            paths += found.map { (input as NSString).appendingPathComponent($0) }
        }
        return paths
    }
}
