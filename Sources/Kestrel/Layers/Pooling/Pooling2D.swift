/// The base of the windowed pooling layers: pool size, strides (default: the pool size) and padding
/// with Keras's defaults, the output-shape rule, the config and its reading.
public class Pooling2D: Layer, KerasSerializable, @unchecked Sendable {
    /// The pooling window.
    public let poolSize: WindowSize
    /// The step between windows (Keras default: the pool size).
    public let strides: WindowSize
    /// `.valid` (no padding) or `.same` (output size = ceil(input / stride)).
    public let padding: Padding

    init(poolSize: WindowSize, strides: WindowSize?, padding: PaddingArgument, inputShape: [Int]?, name: String?) {
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding.resolved
        super.init(name: name)
        requireArgument(poolSize.height > 0 && poolSize.width > 0, "poolSize", mustBe: "positive", got: poolSize)
        requireArgument(self.strides.height > 0 && self.strides.width > 0, "strides", mustBe: "positive", got: self.strides)
        inputShapeArgument = inputShape
        requirePadding(padding)
    }

    /// Keras's `from_config` of the windowed pooling layers (channels_last).
    public required convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(poolSize: try reader.window("pool_size") ?? 2, strides: try reader.window("strides"),
                  padding: PaddingArgument(try reader.padding()), inputShape: nil, name: try reader.layerName())
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch("\(className) '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        let (height, width) = try poolSize.outputSpatialShape(height: inputShape[0], width: inputShape[1], strides: strides,
                                                              padding: padding, layer: "\(className) '\(name)'")
        return [height, width, inputShape[2]]
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["pool_size": .ints(poolSize.ints), "strides": .ints(strides.ints), "padding": .string(padding.rawValue),
                              "data_format": .string("channels_last")]) { $1 }
    }
}
