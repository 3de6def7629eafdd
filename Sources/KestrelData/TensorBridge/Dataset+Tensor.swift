import KestrelTensor

extension Dataset {
    /// Slices `x` and `y` along their first axis, like `tf.data.Dataset.from_tensor_slices((x, y))`.
    public init(x: Tensor, y: Tensor) throws {
        try self.init(x: x.scalars, xShape: x.shape, y: y.scalars, yShape: y.shape)
    }
}
