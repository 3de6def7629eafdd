/// Averages each window of NHWC images (Keras's `AveragePooling2D`; strides default to the pool size).
public final class AveragePooling2D: Layer {
    public let poolSize: WindowSize
    public let strides: WindowSize
    public let padding: Padding

    /// Makes an average-pooling layer (Keras defaults: 2×2, strides = pool size, 'valid').
    public init(poolSize: WindowSize = 2, strides: WindowSize? = nil, padding: Padding = .valid, name: String? = nil) {
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
        super.init(name: name)
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        try PoolingShape.output(inputShape, window: poolSize, strides: strides, padding: padding, layer: "AveragePooling2D '\(name)'")
    }

    public override func build(inputShape: [Int]) throws { _ = try computeOutputShape(inputShape) }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try Tensor.avgPool2d(input, poolSize: poolSize.pair, strides: strides.pair, padding: padding)
    }

    public override var config: LayerConfig {
        super.config.merging(["pool_size": .ints(poolSize.ints), "strides": .ints(strides.ints), "padding": .string(padding.rawValue)]) { $1 }
    }
}
