/// Averages each channel over all positions of NHWC images: [N, H, W, C] → [N, C]
/// (Keras's `GlobalAveragePooling2D`).
public final class GlobalAveragePooling2D: Layer, @unchecked Sendable {
    public let keepDims: Bool

    /// Makes the layer; `keepDims` keeps [N, 1, 1, C].
    public init(keepDims: Bool = false, name: String? = nil) {
        self.keepDims = keepDims
        super.init(name: name)
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch("GlobalAveragePooling2D '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        return keepDims ? [1, 1, inputShape[2]] : [inputShape[2]]
    }

    public override func build(inputShape: [Int]) throws { _ = try computeOutputShape(inputShape) }

    public override var config: LayerConfig {
        super.config.merging(["data_format": .string("channels_last"), "keepdims": .bool(keepDims)]) { $1 }
    }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try Tensor.globalAveragePool2d(input, keepDims: keepDims)
    }
}
