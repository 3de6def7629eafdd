/// Averages each feature over the steps of [batch, steps, features] sequences → [batch, features]
/// (Keras's `GlobalAveragePooling1D`). Given a mask (from `Embedding(maskZero: true)` in a `Sequential`),
/// only unmasked steps are averaged, as Keras does (a sample with every step masked gets NaN, as in Keras).
public final class GlobalAveragePooling1D: Layer, @unchecked Sendable {
    /// Whether the output keeps the steps axis as 1 (Keras's `keepdims`).
    public let keepDims: Bool

    /// Makes the layer.
    public init(keepDims: Bool = false, inputShape: [Int]? = nil, name: String? = nil) {
        self.keepDims = keepDims
        super.init(name: name)
        inputShapeArgument = inputShape
    }

    /// [features] (or [1, features] with `keepDims`).
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw KestrelError.shapeMismatch("GlobalAveragePooling1D '\(name)' needs sequences of shape (steps, features), got \(LayerNaming.format(inputShape)).")
        }
        return keepDims ? [1, inputShape[1]] : [inputShape[1]]
    }

    /// Checks the input shape.
    public override func build(inputShape: [Int]) throws { _ = try computeOutputShape(inputShape) }

    /// The mean over the steps.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try input.mean(axes: [1], keepDims: keepDims)
    }

    /// The mean over the unmasked steps; `mask` is [batch, steps] of 1 (kept) and 0 (masked).
    public func call(_ input: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        try buildIfNeeded(inputShape: Array(input.shape.dropFirst()))
        guard let mask else { return try call(input, training: training) }
        guard mask.shape == Array(input.shape.prefix(2)) else {
            throw KestrelError.shapeMismatch("GlobalAveragePooling1D '\(name)': mask of shape \(mask.shape) does not fit inputs of shape \(input.shape).")
        }
        let weights = try mask.reshaped(mask.shape + [1])
        let total = try (input * weights).sum(axes: [1], keepDims: keepDims)
        return try total / weights.sum(axes: [1], keepDims: keepDims)
    }

    /// Keras's config (`get_config()`).
    public override var config: LayerConfig {
        super.config.merging(["data_format": .string("channels_last"), "keepdims": .bool(keepDims)]) { $1 }
    }
}

extension GlobalAveragePooling1D: KerasSerializable {
    /// Keras's `GlobalAveragePooling1D.from_config` (`keepdims`, channels last).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(keepDims: try reader.bool("keepdims", default: false), name: try reader.layerName())
    }
}
