import Kestrel

/// The images a `TrainingRecipe` trains on: the training images, optionally their own validation
/// and test sets, and a one-line description for reports.
public struct TrainingData: Sendable {
    /// Training images (a validation split, if any, is taken from their end, as Keras does).
    public var train: LabeledImages
    /// Validation images given by the data itself, if any (then no split is taken).
    public var validation: LabeledImages?
    /// Test images, if any.
    public var test: LabeledImages?
    /// One line saying what was loaded.
    public var description: String

    /// Data from the given splits.
    public init(train: LabeledImages, validation: LabeledImages? = nil, test: LabeledImages? = nil, description: String) {
        self.train = train
        self.validation = validation
        self.test = test
        self.description = description
    }

    /// The shape of one training sample (no batch dimension).
    public var sampleShape: [Int] { Array(train.shape.dropFirst()) }

    /// The first `count` training images only (quick experiments); unchanged when there are fewer.
    public func limited(to count: Int) -> TrainingData {
        guard count < train.count else { return self }
        var copy = self
        copy.train = train.slice(0..<count)
        copy.description += " (training on the first \(count) only, --limit)"
        return copy
    }

    /// The held-out images a per-class view should use: the test set, else the validation images
    /// (the data's own, or the last `validationSplit` of the training images); nil when none.
    public func heldOutImages(validationSplit: Double) -> LabeledImages? {
        if let held = test ?? validation { return held }
        guard validationSplit > 0 else { return nil }
        let validationCount = Int(Double(train.count) * validationSplit)
        guard validationCount > 0 else { return nil }
        return train.slice((train.count - validationCount)..<train.count)
    }
}

extension LabeledImages {
    /// The images whose indices are in `range`, as their own split (e.g. the training part of a validation split).
    public func slice(_ range: Range<Int>) -> LabeledImages {
        let imageSize = shape.dropFirst().reduce(1, *)
        return LabeledImages(pixels: Array(pixels[(range.lowerBound * imageSize)..<(range.upperBound * imageSize)]),
                             shape: [range.count] + Array(shape.dropFirst()),
                             labels: Array(labels[range]), classNames: classNames)
    }
}
