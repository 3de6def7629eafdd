/// Which side of `validationSplit` to return (Keras `subset`).
public enum DatasetSubset: String, Sendable {
    case training
    case validation
}

extension DatasetSubset {
    /// Keras's checks of `validation_split`/`subset` in the `*_dataset_from_directory` loaders: the split
    /// strictly between 0 and 1, given together with `subset`, and a seed when shuffling so that the two
    /// subsets do not overlap.
    static func checkSplit(_ validationSplit: Double?, subset: DatasetSubset?, shuffle: Bool, seeded: Bool) throws {
        if let validationSplit, !(0 < validationSplit && validationSplit < 1) {
            throw DataError.invalidArgument("validationSplit", "must be between 0 and 1 (exclusive), got \(validationSplit)")
        }
        if (subset == nil) != (validationSplit == nil) {
            throw DataError.invalidArgument("subset", "validationSplit and subset must be given together")
        }
        if validationSplit != nil, shuffle, !seeded {
            throw DataError.invalidArgument("seed", "with validationSplit and shuffle, pass a seed so training and validation subsets do not overlap")
        }
    }
}
