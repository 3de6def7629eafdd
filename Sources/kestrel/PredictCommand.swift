import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics

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
        --report out.html adds the TensorFlow tutorial's prediction figure: each
        image with its bar chart of class probabilities (true class blue, a wrong
        prediction red) and "predicted (confidence) true". The true class is the
        image's folder name when a FOLDER holds class sub-folders (FOLDER/cat/1.png);
        then the class names are those sub-folders sorted (Keras's order) unless
        --class-names is given, and with every image labelled the page adds the
        confusion matrix. Loose images get no true label.
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

    @Option(parsing: .unconditional, help: "Pixel scale applied to images before predicting.")
    var rescale: Double = 1.0 / 255

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Samples per predict batch.")
    var batchSize: Int = 32

    @Option(name: .customLong("max-image-pixels"), parsing: .unconditional, help: "The most pixels (height × width) an input image may have; checked on its header before decoding (default 67108864, 8192×8192).")
    var maxImagePixels: Int = 1 << 26

    @Option(help: "Also write an HTML page with the prediction figure (the images with their class-probability bars).")
    var report: String?

    @Option(name: .customLong("report-limit"), parsing: .unconditional, help: "Images shown in --report's figure (the first ones).")
    var reportLimit: Int = 60

    func run() throws {
        if batchSize < 1 { throw CommandFailure(message: "--batch-size must be at least 1, got \(batchSize).") }
        let network = try ModelFile.load(model, weights: weights)
        if let input {
            guard let output else { throw CommandFailure(message: "--input needs --output Y.npy for the predictions.") }
            guard inputs.isEmpty else { throw CommandFailure(message: "Give either --input X.npy or image paths, not both.") }
            try predictArray(network, input: input, output: output)
            return
        }
        guard !inputs.isEmpty else { throw CommandFailure(message: "Give image files or folders to predict, or --input X.npy --output Y.npy.") }
        if let report, !report.lowercased().hasSuffix(".html") {
            throw CommandFailure(message: "--report '\(report)' must end in .html.")
        }
        if maxImagePixels < 1 { throw CommandFailure(message: "--max-image-pixels must be at least 1, got \(maxImagePixels).") }
        if reportLimit < 1 { throw CommandFailure(message: "--report-limit must be at least 1, got \(reportLimit).") }
        try predictImages(network)
    }

    private func predictArray(_ network: Model, input: String, output: String) throws {
        let x: Tensor
        do {
            try InputFile.checkRegular(input, argument: "--input", expected: "a .npy array file")
            x = try Tensor(npyFile: input)
        } catch let error as DataError {
            throw CommandFailure(message: error.message)
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        }
        do {
            let predictions = try network.predict(x, batchSize: batchSize, verbose: 0)
            try predictions.saveNpy(output)
            print("Wrote predictions of shape \(predictions.shape) to \(output)")
        } catch let error as KestrelError {
            // The array's problems (empty, NaN, the wrong shape) are the file's: name it.
            throw CommandFailure(message: "--input '\(input)': \(error.message)")
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
        let images = try imagePaths()
        let given = classNames?.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let given { try ModelFile.checkClassNames(given, of: network, source: "--class-names") }
        let names = given ?? network.classNames ?? folderClassNames(images)
        var figure = PredictionFigure(limit: reportLimit)
        for (path, folderClass) in images {
            let probabilities: [Float]
            do {
                let image = try loadImg(path, targetSize: (shape[0], shape[1]), colorMode: colorMode, maximumPixels: maxImagePixels)
                let array = try imgToArray(image)
                let (values, imageShape) = (array.scalars, array.shape)
                let x = try Tensor(shape: [1] + (modelShape.count == 2 ? modelShape : imageShape), scalars: values.map { $0 * Float(rescale) })
                probabilities = try network.predict(x, verbose: 0).scalars
                if report != nil {
                    figure.add(pixels: values, shape: imageShape, probabilities: probabilities,
                               trueLabel: folderClass.flatMap { names?.firstIndex(of: $0) })
                }
            } catch {
                // Image errors already name their file; say the path only once.
                let text = "\(error)".replacingOccurrences(of: "pass a larger maximumPixels", with: "pass a larger --max-image-pixels")
                throw CommandFailure(message: text.contains(path) ? text : "\(path): \(text)")
            }
            let ranked = probabilities.enumerated().sorted { $0.element > $1.element }.prefix(3)
            func label(_ index: Int) -> String { names.flatMap { index < $0.count ? $0[index] : nil } ?? String(index) }
            let top = ranked.map { "\(label($0.offset)) \(String(format: "%.4f", $0.element))" }.joined(separator: "  ")
            print("\(path)\t\(label(ranked.first?.offset ?? 0))\t\(top)")
        }
        if let report {
            try figure.write(to: report, classNames: names, model: model, imageCount: images.count)
            print("Report: \(report)")
        }
    }

    /// With class sub-folders, their names sorted (Keras's `image_dataset_from_directory` order); else nil.
    private func folderClassNames(_ images: [(path: String, folderClass: String?)]) -> [String]? {
        let classes = Set(images.compactMap(\.folderClass))
        return classes.isEmpty ? nil : classes.sorted()
    }

    /// Each image path with its class folder's name when it lies in FOLDER/CLASS/… of a folder argument.
    private func imagePaths() throws -> [(path: String, folderClass: String?)] {
        let extensions: Set<String> = ["png", "jpg", "jpeg"]
        var paths: [(path: String, folderClass: String?)] = []
        for input in inputs {
            switch InputFile.kind(of: input) {
            case .missing: throw CommandFailure(message: "'\(input)' does not exist.")
            case .directory: break
            case .regular: paths.append((input, nil)); continue
            default:
                do { try InputFile.checkRegular(input, argument: "IMAGES", expected: "a PNG or JPEG image or a folder of them") } catch let error as DataError {
                    throw CommandFailure(message: error.message)
                }
            }
            let found = (FileManager.default.subpaths(atPath: input) ?? [])
                .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
            if found.isEmpty { throw CommandFailure(message: "The folder '\(input)' holds no PNG or JPEG image.") }
            paths += found.map { relative in
                let parts = relative.split(separator: "/")
                return ((input as NSString).appendingPathComponent(relative), parts.count >= 2 ? String(parts[0]) : nil)
            }
        }
        return paths
    }
}
