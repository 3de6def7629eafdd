/// The largest value of each feature over the steps of [batch, steps, features] sequences → [batch, features]
/// (Keras's `GlobalMaxPooling1D`, which ignores masks).
public final class GlobalMaxPooling1D: Layer, @unchecked Sendable {
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
            throw KestrelError.shapeMismatch("GlobalMaxPooling1D '\(name)' needs sequences of shape (steps, features), got \(LayerNaming.format(inputShape)).")
        }
        return keepDims ? [1, inputShape[1]] : [inputShape[1]]
    }

    /// Checks the input shape.
    public override func build(inputShape: [Int]) throws { _ = try computeOutputShape(inputShape) }

    /// The maximum over the steps.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try input.max(axes: [1], keepDims: keepDims)
    }

    /// Keras's config (`get_config()`).
    public override var config: LayerConfig {
        super.config.merging(["data_format": .string("channels_last"), "keepdims": .bool(keepDims)]) { $1 }
    }
}

extension GlobalMaxPooling1D: KerasSerializable {
    /// Keras's `GlobalMaxPooling1D.from_config` (`keepdims`, channels last).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(keepDims: try reader.bool("keepdims", default: false), name: try reader.layerName())
    }
}
