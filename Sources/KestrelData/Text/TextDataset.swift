import KestrelTensor

/// Labelled text samples in batches of strings, as `keras.utils.text_dataset_from_directory` returns
/// them: iterate it for `(texts, labels)` batches, give it to `TextVectorization.adapt`, or turn it into
/// a tensor `Dataset` for `fit` with `map` (Keras's `raw_train_ds.map(vectorize_text)`).
public struct TextDataset: Sequence, Sendable {
    /// One batch: the texts and, unless the dataset has no labels, their labels in the dataset's `labelMode`.
    public struct Batch: Sendable {
        /// The batch's texts, in order.
        public let texts: [String]
        /// The labels ([n] for int, [n, 1] for binary, [n, classes] for categorical); nil without labels.
        public let labels: Tensor?
    }

    /// Every sample's text, in the dataset's order.
    public let texts: [String]
    /// Every sample's class index (the position of its folder in `classNames`); nil without labels.
    public let classIndices: [Int]?
    /// The class names (sub-folder names), indexed by label.
    public let classNames: [String]
    /// How labels are encoded; nil for a dataset without labels (Keras's `label_mode=None`).
    public let labelMode: LabelMode?
    /// The batch size; nil yields batches of one (Keras's `batch_size=None` yields single samples).
    public let batchSize: Int?
    /// Whether `map` shuffles the samples each epoch (a buffer of 8 batches, as Keras).
    public let shuffle: Bool
    /// The seed of that shuffle.
    public let seed: UInt64?

    /// A dataset of `texts` with `classIndices` (positions in `classNames`).
    public init(texts: [String], classIndices: [Int]?, classNames: [String], labelMode: LabelMode? = .int,
                batchSize: Int? = 32, shuffle: Bool = false, seed: UInt64? = nil) throws {
        if let classIndices {
            guard classIndices.count == texts.count else {
                throw DataError.invalidArgument("classIndices", "has \(classIndices.count) labels for \(texts.count) texts")
            }
            if let bad = classIndices.first(where: { $0 < 0 || $0 >= classNames.count }) {
                throw DataError.invalidArgument("classIndices", "label \(bad) is outside 0..<\(classNames.count) (the class names)")
            }
        }
        if let batchSize, batchSize < 1 { throw DataError.invalidArgument("batchSize", "must be positive, got \(batchSize)") }
        if labelMode == .binary, classNames.count != 2 {
            throw DataError.invalidArgument("labelMode", "binary needs exactly 2 classes, got \(classNames.count) (\(classNames))")
        }
        self.texts = texts
        self.classIndices = labelMode == nil ? nil : classIndices
        self.classNames = classNames
        self.labelMode = classIndices == nil ? nil : labelMode
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
    }

    /// The number of samples.
    public var count: Int { texts.count }

    /// The number of batches (Keras's `cardinality`).
    public var batchCount: Int { batchSize.map { (texts.count + $0 - 1) / $0 } ?? texts.count }

    /// The labels of samples `range` in `labelMode`'s encoding.
    public func labels(_ range: Range<Int>) throws -> Tensor? {
        guard let classIndices, let labelMode else { return nil }
        let chosen = classIndices[range]
        switch labelMode {
        case .int: return try Tensor(shape: [chosen.count], scalars: chosen.map(Float.init))
        case .binary: return try Tensor(shape: [chosen.count, 1], scalars: chosen.map(Float.init))
        case .categorical:
            var values = [Float](repeating: 0, count: chosen.count * classNames.count)
            for (row, label) in chosen.enumerated() { values[row * classNames.count + label] = 1 }
            return try Tensor(shape: [chosen.count, classNames.count], scalars: values)
        }
    }

    /// The batches in order.
    public func makeIterator() -> AnyIterator<Batch> {
        let size = batchSize ?? 1
        var start = 0
        return AnyIterator {
            guard start < self.texts.count else { return nil }
            let range = start..<Swift.min(start + size, self.texts.count)
            start = range.upperBound
            // The labels were checked when the dataset was made, so building their tensor cannot fail here.
            return Batch(texts: Array(self.texts[range]), labels: (try? self.labels(range)) ?? nil)
        }
    }

    /// The texts only (Keras's `raw_train_ds.map(lambda x, y: x)`), for `TextVectorization.adapt`.
    public var textsOnly: TextDataset {
        // Same texts without labels: cannot fail.
        (try? TextDataset(texts: texts, classIndices: nil, classNames: classNames, labelMode: nil, batchSize: batchSize)) ?? self
    }

    /// A tensor `Dataset` for `fit`/`evaluate`: `vectorize` turns all texts into one tensor (one row per
    /// text; e.g. a `TextVectorization` layer), the labels follow; then, as Keras's pipeline, the
    /// samples are shuffled each epoch (buffer of 8 batches, `seed`) when `shuffle`, and batched.
    /// Keras maps batch by batch; vectorizing all at once gives the same rows when the output length is fixed
    /// (`outputSequenceLength`, or multi-hot/count/tf-idf), and pads to the longest text overall otherwise.
    public func map(_ vectorize: ([String]) throws -> Tensor) throws -> Dataset {
        let features = try vectorize(texts)
        guard features.rank >= 1, features.shape[0] == texts.count else {
            throw DataError.invalidArgument("vectorize", "must return one row per text (\(texts.count)), got shape \(features.shape)")
        }
        let labelTensor = try labels(0..<texts.count)
        let rowShape = Array(features.shape.dropFirst())
        let rowSize = rowShape.reduce(1, *)
        let labelShape = labelTensor.map { Array($0.shape.dropFirst()) } ?? [0]
        let labelSize = labelShape.reduce(1, *)
        let x = features.scalars, y = labelTensor?.scalars ?? []
        var dataset = Dataset(count: texts.count) { index in
            DataElement(x: Array(x[(index * rowSize)..<((index + 1) * rowSize)]), xShape: rowShape,
                        y: labelSize == 0 ? [] : Array(y[(index * labelSize)..<((index + 1) * labelSize)]), yShape: labelShape)
        }
        dataset.classNames = classNames
        if shuffle { dataset = try dataset.shuffle(bufferSize: (batchSize ?? 128) * 8, seed: seed) }
        return try dataset.batch(batchSize ?? 1)
    }

    /// All features and labels as two tensors (for `fit(x, y, …)`), `vectorize` as in `map`.
    public func tensors(_ vectorize: ([String]) throws -> Tensor) throws -> (x: Tensor, y: Tensor?) {
        (try vectorize(texts), try labels(0..<texts.count))
    }
}
