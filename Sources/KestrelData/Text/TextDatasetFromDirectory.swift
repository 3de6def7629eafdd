import Foundation

/// Keras's `keras.utils.text_dataset_from_directory`: the `.txt` files of a folder with one sub-folder
/// per class (class names sorted, or `classNames` in its order), in batches of strings with their labels.
///
/// Files are listed as Keras lists them (per class, sub-folders walked, paths sorted) and, when `shuffle`,
/// shuffled with NumPy's `RandomState(seed)` exactly as Keras does, so the same `seed` gives the same
/// training and validation files as Keras (the last `validationSplit` fraction is validation). Keras
/// draws a random seed when none is given; so does this. Each file is read whole (at most `maxLength`
/// bytes, cut back to a whole UTF-8 character); a file that is not UTF-8 text, or larger than 64 MiB
/// without `maxLength`, is a thrown `DataError` naming it. An empty file is the empty string, as in Keras.
/// - Parameters:
///   - labelMode: `.int` (default), `.categorical`, `.binary`, or nil for texts only.
///   - batchSize: samples per batch (default 32); nil for single samples.
///   - subset: `.training` or `.validation`, with `validationSplit`.
public func textDatasetFromDirectory(_ directory: String, labelMode: LabelMode? = .int, classNames: [String]? = nil,
                                     batchSize: Int? = 32, maxLength: Int? = nil, shuffle: Bool = true, seed: UInt32? = nil,
                                     validationSplit: Double? = nil, subset: DatasetSubset? = nil) throws -> TextDataset {
    try DatasetSubset.checkSplit(validationSplit, subset: subset, shuffle: shuffle, seeded: seed != nil)
    if let batchSize, batchSize < 1 { throw DataError.invalidArgument("batchSize", "must be positive, got \(batchSize)") }
    if let maxLength, maxLength < 1 { throw DataError.invalidArgument("maxLength", "must be positive, got \(maxLength)") }
    let listing = try ClassTextFiles(directory: directory, classNames: classNames)
    if labelMode == .binary, listing.classNames.count != 2 {
        throw DataError.invalidArgument("labelMode", "binary needs exactly 2 classes, \(directory) has \(listing.classNames.count) (\(listing.classNames))")
    }
    var paths = listing.files.map(\.path), labels = listing.files.map(\.label)
    let shuffleSeed = seed ?? UInt32.random(in: 0..<1_000_000)
    if shuffle {
        // Keras shuffles the paths and the labels with two generators of the same seed: one permutation.
        var pathGenerator = NumPyRandomState(seed: shuffleSeed), labelGenerator = NumPyRandomState(seed: shuffleSeed)
        pathGenerator.shuffle(&paths)
        labelGenerator.shuffle(&labels)
    }
    if let validationSplit, let subset {
        let validationCount = Int(validationSplit * Double(paths.count))
        if subset == .training {
            paths = Array(paths.dropLast(validationCount)); labels = Array(labels.dropLast(validationCount))
        } else {
            paths = Array(paths.suffix(validationCount)); labels = Array(labels.suffix(validationCount))
        }
    }
    guard !paths.isEmpty else { throw DataError("\(directory): no text files in this subset; use a smaller validationSplit or add .txt files") }
    let texts = try paths.map { try TextFileLimits.read($0, maxLength: maxLength) }
    return try TextDataset(texts: texts, classIndices: labelMode == nil ? nil : labels, classNames: listing.classNames,
                           labelMode: labelMode, batchSize: batchSize, shuffle: shuffle && subset != .validation,
                           seed: UInt64(shuffleSeed))
}
