import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelRecipes

/// Loads the data `kestrel fit` and `kestrel doctor` train on: a built-in dataset by name, or a
/// directory of class folders (optionally split into `train/`, `validation/` and `test/` sub-directories).
enum DatasetSource {
    /// The names `--dataset` accepts besides a directory.
    static let builtInNames = ["fashion-mnist", "mnist", "cifar10"]

    /// Loads `name` (a built-in name or a directory); `imageSize`/`colorMode` apply to directories.
    static func load(_ name: String, imageSize: (Int, Int), colorMode: ColorMode, seed: UInt64) throws -> TrainingData {
        let dataset: ImageClassificationDataset?
        switch name.lowercased() {
        case "fashion-mnist", "fashion_mnist", "fashionmnist": dataset = Datasets.fashionMNIST
        case "mnist": dataset = Datasets.mnist
        case "cifar10", "cifar-10": dataset = Datasets.cifar10
        default: dataset = nil
        }
        if let dataset {
            do {
                let (train, test) = try dataset.load()
                return TrainingData(train: train, validation: nil, test: test,
                                     description: "\(dataset.name): \(train.count) training and \(test.count) test images of \(train.shape.dropFirst().map(String.init).joined(separator: "×"))")
            } catch {
                let hint = dataset.name == "fashion-mnist" ? "; install Debian's dataset-fashion-mnist (make deps)" : ""
                throw CommandFailure(message: "Cannot load the \(dataset.name) dataset: \(error)\(hint).")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) else {
            if name.contains("/") || name.hasPrefix(".") {
                throw CommandFailure(message: "--dataset '\(name)': no such directory; give a folder of class sub-folders, or one of \(builtInNames.joined(separator: ", ")).")
            }
            throw CommandFailure(message: "Unknown dataset '\(name)': use \(builtInNames.joined(separator: ", ")) or a directory of class sub-folders.")
        }
        guard isDirectory.boolValue else {
            let kind = InputFile.kind(of: name)
            let what = kind.isRegular ? "a file" : kind.description
            throw CommandFailure(message: "--dataset '\(name)' is \(what), not a directory; give a directory with one sub-folder per class (or train/, validation/, test/ sub-directories).")
        }
        try checkMemory(name, imageSize: imageSize, colorMode: colorMode)
        func folder(_ candidates: [String]) -> String? {
            candidates.map { name + "/" + $0 }.first { path in
                var folder: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
            }
        }
        func read(_ directory: String, classNames: [String]?) throws -> LabeledImages {
            do {
                let data = try imageDatasetFromDirectory(directory, classNames: classNames, colorMode: colorMode, batchSize: nil,
                                                         imageSize: imageSize, shuffle: true, seed: seed)
                return collect(data, classNames: data.classNames ?? classNames ?? [])
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure(message: "Cannot read the images in '\(directory)': \(error).")
            }
        }
        if let trainFolder = folder(["train", "training"]) {
            let train = try read(trainFolder, classNames: nil)
            let validation = try folder(["validation", "val", "valid"]).map { try read($0, classNames: train.classNames) }
            let test = try folder(["test"]).map { try read($0, classNames: train.classNames) }
            var parts = ["\(train.count) training"]
            if let validation { parts.append("\(validation.count) validation") }
            if let test { parts.append("\(test.count) test") }
            return TrainingData(train: train, validation: validation, test: test,
                                 description: "\(name): \(parts.joined(separator: ", ")) images in \(train.classNames.count) classes, resized to \(imageSize.0)×\(imageSize.1) \(colorMode.rawValue)")
        }
        let train = try read(name, classNames: nil)
        return TrainingData(train: train, validation: nil, test: nil,
                             description: "\(name): \(train.count) images in \(train.classNames.count) classes, resized to \(imageSize.0)×\(imageSize.1) \(colorMode.rawValue)")
    }

    /// Bytes a training command holds per pixel value of a folder dataset at its peak: the decoded
    /// bytes, the dataset's float elements, the gathered bytes, the normalized float array and the
    /// tensors made from it (measured: 2 images at 16384×16384 gray grew to 10.8 GB, 20 bytes a value).
    static let bytesPerValue = 20

    /// Refuses a folder whose images, resized to `imageSize`, would not fit in the memory the process
    /// may use — counted from the file names, before any image is decoded.
    static func checkMemory(_ folder: String, imageSize: (Int, Int), colorMode: ColorMode) throws {
        let extensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "gif"]
        var files = 0
        if let walker = FileManager.default.enumerator(atPath: folder) {
            while let path = walker.nextObject() as? String {
                if extensions.contains((path as NSString).pathExtension.lowercased()) { files += 1 }
            }
        }
        let perImage = imageSize.0.multipliedReportingOverflow(by: imageSize.1 * colorMode.channels)
        let total = perImage.partialValue.multipliedReportingOverflow(by: max(files, 1))
        let bytes = total.partialValue.multipliedReportingOverflow(by: bytesPerValue)
        let needed = perImage.overflow || total.overflow || bytes.overflow ? Int.max : bytes.partialValue
        do {
            try MemoryBudget.check(bytes: needed, what: "--image-size \(imageSize.0)x\(imageSize.1): \(files) images of \(imageSize.0)×\(imageSize.1)×\(colorMode.channels)",
                                   fix: "pass a smaller --image-size")
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    /// Gathers single-image elements (Float 0…255) into a `LabeledImages`.
    private static func collect(_ data: Dataset, classNames: [String]) -> LabeledImages {
        var pixels: [UInt8] = []
        var labels: [Int] = []
        var shape: [Int] = []
        for element in data {
            shape = element.xShape
            pixels += element.x.map { UInt8(max(0, min(255, $0.rounded()))) }
            labels.append(Int(element.y.first ?? 0))
        }
        return LabeledImages(pixels: pixels, shape: [labels.count] + shape, labels: labels, classNames: classNames)
    }
}
