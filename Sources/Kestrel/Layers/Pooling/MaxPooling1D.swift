/// The largest value in each window of steps of [batch, steps, features] sequences (Keras's
/// `MaxPooling1D`), computed as a 2-D max pooling of height 1.
public final class MaxPooling1D: Layer, @unchecked Sendable {
    /// The window length.
    public let poolSize: Int
    /// The step between windows (Keras's default: `poolSize`).
    public let strides: Int
    /// `.valid` or `.same`.
    public let padding: Padding

    /// Makes the layer with Keras's defaults (windows of 2, strides = pool size, valid padding).
    public init(poolSize: Int = 2, strides: Int? = nil, padding: PaddingArgument = .valid, inputShape: [Int]? = nil, name: String? = nil) {
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding.resolved
        super.init(name: name)
        inputShapeArgument = inputShape
        requirePadding(padding)
        requireArgument(poolSize > 0, "poolSize", mustBe: "positive", got: poolSize)
        requireArgument(self.strides > 0, "strides", mustBe: "positive", got: self.strides)
    }

    /// [output steps, features].
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw KestrelError.shapeMismatch("MaxPooling1D '\(name)' needs sequences of shape (steps, features), got \(LayerNaming.format(inputShape)).")
        }
        let (_, steps) = try WindowSize(1, poolSize).outputSpatialShape(height: 1, width: inputShape[0], strides: WindowSize(1, strides),
                                                                         padding: padding, layer: "MaxPooling1D '\(name)'")
        return [steps, inputShape[1]]
    }

    /// The pooled sequences.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let images = try input.reshaped([input.shape[0], 1, input.shape[1], input.shape[2]])
        let pooled = try Tensor.maxPool2d(images, poolSize: (1, poolSize), strides: (1, strides), padding: padding)
        return try pooled.reshaped([pooled.shape[0], pooled.shape[2], pooled.shape[3]])
    }

    /// Keras's config (`get_config()`).
    public override var config: LayerConfig {
        super.config.merging(["pool_size": .ints([poolSize]), "strides": .ints([strides]), "padding": .string(padding.rawValue),
                              "data_format": .string("channels_last")]) { $1 }
    }
}

extension MaxPooling1D: KerasSerializable {
    /// Keras's `MaxPooling1D.from_config` (`pool_size`, `strides`, `padding`, channels last).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(poolSize: try reader.oneLength("pool_size") ?? 2, strides: try reader.oneLength("strides"),
                  padding: PaddingArgument(try reader.padding()), name: try reader.layerName())
    }
}
