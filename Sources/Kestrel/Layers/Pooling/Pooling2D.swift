/// The base of the windowed pooling layers: pool size, strides (default: the pool size) and padding
/// with Keras's defaults, the output-shape rule and the config.
public class Pooling2D: Layer, @unchecked Sendable {
    public let poolSize: WindowSize
    public let strides: WindowSize
    public let padding: Padding

    init(poolSize: WindowSize, strides: WindowSize?, padding: Padding, name: String?) {
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
        super.init(name: name)
        requireArgument(poolSize.height > 0 && poolSize.width > 0, "poolSize", mustBe: "positive", got: poolSize)
        requireArgument(self.strides.height > 0 && self.strides.width > 0, "strides", mustBe: "positive", got: self.strides)
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch("\(className) '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        let (height, width) = try poolSize.outputSpatialShape(height: inputShape[0], width: inputShape[1], strides: strides,
                                                              padding: padding, layer: "\(className) '\(name)'")
        return [height, width, inputShape[2]]
    }

    public override func build(inputShape: [Int]) throws { _ = try computeOutputShape(inputShape) }

    public override var config: LayerConfig {
        super.config.merging(["pool_size": .ints(poolSize.ints), "strides": .ints(strides.ints), "padding": .string(padding.rawValue),
                              "data_format": .string("channels_last")]) { $1 }
    }
}
