import KestrelTensor

extension Dataset {
    /// Slices `x` and `y` along their first axis, like `tf.data.Dataset.from_tensor_slices((x, y))`.
    public init(x: Tensor, y: Tensor) throws {
        try self.init(x: x.scalars, xShape: x.shape, y: y.scalars, yShape: y.shape)
    }
}

extension Dataset {
    /// Keras's `tf.data.Dataset.from_tensor_slices((x, y))` by its own name: slices `x` and `y` along their
    /// first axis (the same as `Dataset(x:y:)`); throws when their first axes differ.
    public static func fromTensorSlices(_ tensors: (Tensor, Tensor)) throws -> Dataset {
        try Dataset(x: tensors.0, y: tensors.1)
    }
}
