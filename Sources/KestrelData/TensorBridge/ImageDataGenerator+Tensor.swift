import KestrelTensor

extension ImageDataGenerator {
    /// `fit` on an N×H×W×C tensor.
    public mutating func fit(_ x: Tensor) throws {
        try fit(ImageBatch(x))
    }

    /// `flow` on tensors: x of shape N×H×W×C (or N×H×W), y of N class indices or N×K one-hot rows; `subset`
    /// as in `flow(_:_:batchSize:shuffle:seed:subset:ignoreClassSplit:)`.
    public func flow(_ x: Tensor, _ y: Tensor, batchSize: Int = 32, shuffle: Bool = true, seed: UInt64? = nil,
                     subset: DatasetSubset? = nil, ignoreClassSplit: Bool = false) throws -> Dataset {
        try flow(ImageBatch(x), y.scalars, batchSize: batchSize, shuffle: shuffle, seed: seed, subset: subset, ignoreClassSplit: ignoreClassSplit)
    }
}
