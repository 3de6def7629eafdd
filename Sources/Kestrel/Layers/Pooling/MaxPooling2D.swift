/// Takes the maximum over each window of NHWC images (Keras's `MaxPooling2D`; strides default to the pool size).
public final class MaxPooling2D: Layer {
    public let poolSize: WindowSize
    public let strides: WindowSize
    public let padding: Padding

    /// Makes a max-pooling layer (Keras defaults: 2×2, strides = pool size, 'valid').
    public init(poolSize: WindowSize = 2, strides: WindowSize? = nil, padding: Padding = .valid, name: String? = nil) {
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
        super.init(name: name)
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        try PoolingShape.output(inputShape, window: poolSize, strides: strides, padding: padding, layer: "MaxPooling2D '\(name)'")
    }

    public override func build(inputShape: [Int]) throws { _ = try computeOutputShape(inputShape) }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try Tensor.maxPool2d(input, poolSize: poolSize.pair, strides: strides.pair, padding: padding)
    }

    public override var config: LayerConfig {
        super.config.merging(["pool_size": .ints(poolSize.ints), "strides": .ints(strides.ints), "padding": .string(padding.rawValue)]) { $1 }
    }
}

/// Output-shape rule shared by the pooling layers.
enum PoolingShape {
    static func output(_ inputShape: [Int], window: WindowSize, strides: WindowSize, padding: Padding, layer: String) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch("\(layer) needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        let (height, width) = try window.outputSpatialShape(height: inputShape[0], width: inputShape[1],
                                                            strides: strides, padding: padding, layer: layer)
        return [height, width, inputShape[2]]
    }
}
