import Foundation
import KestrelTensor

/// What `flowFromDirectory` gives as targets (Keras's `class_mode`).
public enum ClassMode: String, Sendable {
    /// One-hot rows, one column per class (Keras's default).
    case categorical
    /// 0 or 1 for exactly two classes.
    case binary
    /// The class index.
    case sparse
    /// No targets (for `predict`).
    case none
}

extension ImageDataGenerator {
    /// Batches of augmented images read from a directory with one sub-folder per class (Keras's
    /// `flow_from_directory`, the `train_generator` of the tutorials). Class indices are the sorted
    /// sub-folder names' positions (`dataset.classIndices`); images are decoded once, resized to
    /// `targetSize` and converted to `colorMode`, then each batch gets this generator's random
    /// transforms, `preprocessingFunction`, `rescale` and normalisation on the fly. Every epoch is reshuffled
    /// when `shuffle`; with a `seed` runs repeat exactly. With `validationSplit`, `subset: .validation` takes the
    /// first `Int(n × validationSplit)` files (sorted by name) of each class folder and `.training` the rest, as Keras.
    public func flowFromDirectory(_ directory: String, targetSize: (height: Int, width: Int) = (256, 256),
                                  colorMode: ColorMode = .rgb, classes: [String]? = nil, classMode: ClassMode = .categorical,
                                  batchSize: Int = 32, shuffle: Bool = true, seed: UInt64? = nil,
                                  subset: DatasetSubset? = nil, interpolation: Interpolation = .nearest) throws -> Dataset {
        guard batchSize > 0 else { throw DataError.invalidArgument("batchSize", "must be positive, got \(batchSize)") }
        guard targetSize.height > 0, targetSize.width > 0, targetSize.height <= 1 << 14, targetSize.width <= 1 << 14 else {
            throw DataError.invalidArgument("targetSize", "must be between 1 and 16384 per side, got (\(targetSize.height), \(targetSize.width))")
        }
        if featurewiseCenter || featurewiseStdNormalization, mean == nil {
            throw DataError("ImageDataGenerator.flowFromDirectory: call fit(x) first, featurewiseCenter/featurewiseStdNormalization need the dataset statistics")
        }
        var listing = try ClassImageFiles(directory: directory, classNames: classes, caller: "flowFromDirectory")
        if subset != nil {
            var kept: [(path: String, label: Int)] = []
            for label in listing.classNames.indices {
                let files = listing.files.filter { $0.label == label }
                kept += files[try subsetRange(count: files.count, subset: subset)]
            }
            guard !kept.isEmpty else {
                throw DataError.invalidArgument("subset", "validationSplit \(validationSplit) leaves no \(subset?.rawValue ?? "") images in \(directory)")
            }
            listing.files = kept
        }
        if classMode == .binary, listing.classNames.count != 2 {
            throw DataError.invalidArgument("classMode", "binary needs exactly 2 classes, \(directory) has \(listing.classNames.count)")
        }
        let imageValues = targetSize.height * targetSize.width * colorMode.channels
        var pixels: [UInt8] = []
        pixels.reserveCapacity(listing.files.count * imageValues)
        for file in listing.files {
            pixels += try loadImg(file.path, targetSize: targetSize, colorMode: colorMode, interpolation: interpolation).pixels
        }
        try checkPreprocessing(on: ImageBatch(uncheckedPixels: pixels.prefix(imageValues).map(Float.init), count: 1,
                                              height: targetSize.height, width: targetSize.width, channels: colorMode.channels))
        let storedPixels = pixels
        let labels = listing.files.map(\.label)
        let classCount = listing.classNames.count
        var dataset = augmentedBatches(count: labels.count, batchSize: batchSize, shuffle: shuffle, seed: seed) { members in
            var values: [Float] = []
            values.reserveCapacity(members.count * imageValues)
            var targets: [Float] = []
            for member in members {
                values += storedPixels[(member * imageValues)..<((member + 1) * imageValues)].map(Float.init)
                switch classMode {
                case .categorical: targets += (0..<classCount).map { $0 == labels[member] ? 1 : 0 }
                case .binary, .sparse: targets.append(Float(labels[member]))
                case .none: break
                }
            }
            let targetShape: [Int]
            switch classMode {
            case .categorical: targetShape = [members.count, classCount]
            case .binary: targetShape = [members.count, 1]
            case .sparse: targetShape = [members.count]
            case .none: targetShape = [0]
            }
            return (ImageBatch(uncheckedPixels: values, count: members.count, height: targetSize.height,
                               width: targetSize.width, channels: colorMode.channels), targets, targetShape)
        }
        dataset.classNames = listing.classNames
        return dataset
    }
}

extension Dataset {
    /// Class name → label index, for datasets read from class sub-folders (Keras's `class_indices`).
    public var classIndices: [String: Int]? {
        classNames.map { names in Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) }) }
    }
}
