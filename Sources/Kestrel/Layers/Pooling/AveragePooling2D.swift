/// Averages each window of NHWC images (Keras's `AveragePooling2D`; strides default to the pool size).
public final class AveragePooling2D: Pooling2D, WindowedPooling2D, @unchecked Sendable {
    /// Makes an average-pooling layer (Keras defaults: 2×2, strides = pool size, 'valid').
    public override init(poolSize: WindowSize = 2, strides: WindowSize? = nil, padding: PaddingArgument = .valid, inputShape: [Int]? = nil, name: String? = nil) {
        super.init(poolSize: poolSize, strides: strides, padding: padding, inputShape: inputShape, name: name)
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try Tensor.avgPool2d(input, poolSize: poolSize.pair, strides: strides.pair, padding: padding)
    }
}
