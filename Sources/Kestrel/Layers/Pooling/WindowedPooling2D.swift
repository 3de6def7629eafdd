/// A 2-D pooling layer made from a window, strides and padding (`MaxPooling2D`, `AveragePooling2D`): the
/// Keras spellings of those sizes (positional, tuples) are written once for every such layer.
public protocol WindowedPooling2D {
    /// The layer with Keras's arguments (strides nil: the pool size).
    init(poolSize: WindowSize, strides: WindowSize?, padding: PaddingArgument, inputShape: [Int]?, name: String?)
}
