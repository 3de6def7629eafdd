import KestrelTensor
import Foundation
import KestrelTensor

/// Builds a `Dataset` of image batches from a directory with one sub-folder per class, like
/// `keras.utils.image_dataset_from_directory`: class names are the sub-folder names sorted alphabetically, labels
/// their indices; images (PNG, JPEG) are converted to `colorMode`, resized to `imageSize` and given as Float 0...255.
///
/// Files are listed, shuffled with `seed` (when `shuffle` or `validationSplit` is used) and split as Keras does:
/// the last `validationSplit` fraction is the validation subset. Images are decoded once, up front, so a bad file is
/// reported immediately with its path (or skipped with a warning when `skipUnreadable`).
/// - Parameters:
///   - imageSize: (height, width) of every output image.
///   - batchSize: batch size; nil yields single examples.
///   - classNames: an explicit list (and order) of the sub-folders to use.
public func imageDatasetFromDirectory(_ directory: String, labelMode: LabelMode = .int, classNames: [String]? = nil,
                                      colorMode: ColorMode = .rgb, batchSize: Int? = 32, imageSize: (height: Int, width: Int) = (256, 256),
                                      shuffle: Bool = true, seed: UInt64? = nil, validationSplit: Double? = nil,
                                      subset: DatasetSubset? = nil, interpolation: Interpolation = .bilinear,
                                      skipUnreadable: Bool = false) throws -> Dataset {
    try DatasetSubset.checkSplit(validationSplit, subset: subset, shuffle: shuffle, seeded: seed != nil)
    let listing = try ClassImageFiles(directory: directory, classNames: classNames, caller: "imageDatasetFromDirectory")
    let names = listing.classNames
    if labelMode == .binary, names.count != 2 {
        throw DataError.invalidArgument("labelMode", "binary needs exactly 2 classes, \(directory) has \(names.count)")
    }

    var files = listing.files
    if shuffle || validationSplit != nil {
        var generator = RandomGenerator(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        files.shuffle(using: &generator)
    }
    if let validationSplit, let subset {
        let validationCount = Int(validationSplit * Double(files.count))
        files = subset == .training ? Array(files.dropLast(validationCount)) : Array(files.suffix(validationCount))
    }

    var pixels: [UInt8] = []
    var labels: [Int] = []
    let imageValues = try ImageLimits.checkedValueCount(height: imageSize.height, width: imageSize.width,
                                                        channels: colorMode.channels, what: "imageSize")
    let (totalValues, overflow) = files.count.multipliedReportingOverflow(by: imageValues)
    let floatBytes = totalValues.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
    if !overflow, !floatBytes.overflow {
        // The pixels are kept as bytes and each element is made as floats: 5 bytes a value at least.
        try MemoryBudget.check(bytes: totalValues.multipliedReportingOverflow(by: 5).partialValue,
                               what: "imageSize: \(files.count) images of \(imageSize.height)×\(imageSize.width)×\(colorMode.channels)",
                               fix: "use a smaller imageSize")
    }
    guard !overflow, !floatBytes.overflow, floatBytes.partialValue <= Tensor.maximumStorageBytes else {
        throw DataError.invalidArgument("imageSize", "\(files.count) images of \(imageSize.height)×\(imageSize.width)×\(colorMode.channels) need more memory than this machine has; use a smaller imageSize")
    }
    pixels.reserveCapacity(totalValues)
    for file in files {
        do {
            let image = try loadImg(file.path, targetSize: imageSize, colorMode: colorMode, interpolation: interpolation)
            pixels += image.pixels
            labels.append(file.label)
        } catch {
            guard skipUnreadable else { throw error }
            // The decoders' errors name the file already; say the path once.
            let reason = "\(error)"
            let message = reason.contains(file.path) ? reason : "\(file.path): \(reason)"
            FileHandle.standardError.write(Data("warning: skipping \(message)\n".utf8))
        }
    }

    let classCount = names.count
    let count = labels.count
    let xShape = [imageSize.height, imageSize.width, colorMode.channels]
    let storedPixels = pixels, storedLabels = labels
    var dataset = Dataset(count: count) { index in
        let label = storedLabels[index]
        let y: [Float], yShape: [Int]
        switch labelMode {
        case .int: (y, yShape) = ([Float(label)], [])
        case .binary: (y, yShape) = ([Float(label)], [1])
        case .categorical: (y, yShape) = ((0..<classCount).map { $0 == label ? 1 : 0 }, [classCount])
        }
        let x = storedPixels[(index * imageValues)..<((index + 1) * imageValues)].map { Float($0) }
        return DataElement(x: x, xShape: xShape, y: y, yShape: yShape)
    }
    dataset.classNames = names
    if shuffle {
        dataset = try dataset.shuffle(bufferSize: Swift.max(1, Swift.min(count, (batchSize ?? 1) * 8)), seed: seed)
    }
    if let batchSize {
        dataset = try dataset.batch(batchSize)
    }
    return dataset
}
