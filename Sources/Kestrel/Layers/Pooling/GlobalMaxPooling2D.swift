/// The maximum of each channel over all positions of NHWC images: [N, H, W, C] → [N, C]
/// (Keras's `GlobalMaxPooling2D`).
public final class GlobalMaxPooling2D: Layer, @unchecked Sendable {
    /// Whether the output keeps the spatial axes as size 1 ([N, 1, 1, C]).
    public let keepDims: Bool

    /// Makes the layer; `keepDims` keeps [N, 1, 1, C].
    public init(keepDims: Bool = false, inputShape: [Int]? = nil, name: String? = nil) {
        self.keepDims = keepDims
        super.init(name: name)
        inputShapeArgument = inputShape
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch(
                "GlobalMaxPooling2D '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        return keepDims ? [1, 1, inputShape[2]] : [inputShape[2]]
    }

    /// Checks that samples of `inputShape` fit this layer; throws naming the layer otherwise.
    public override func build(inputShape: [Int]) throws { _ = try computeOutputShape(inputShape) }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try Tensor.globalMaxPool2d(input, keepDims: keepDims)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["data_format": .string("channels_last"), "keepdims": .bool(keepDims)]) { $1 }
    }
}

extension GlobalMaxPooling2D: KerasSerializable {
    /// Keras's `GlobalMaxPooling2D.from_config` (channels_last).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(keepDims: try reader.bool("keepdims", default: false), name: try reader.layerName())
    }
}
