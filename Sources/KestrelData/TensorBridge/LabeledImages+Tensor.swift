import KestrelTensor

extension LabeledImages {
    /// The images as a Float tensor of `shape` with values 0...255 (Keras's `x_train`, before any rescaling).
    /// Built on each access: keep the result rather than reading it repeatedly.
    public var x: Tensor { TensorFactory.make(shape: shape, bytes: pixels, scale: 1) }

    /// The images scaled to 0...1 (`x_train / 255`).
    public var normalizedX: Tensor { TensorFactory.make(shape: shape, bytes: pixels, scale: 1 / 255) }

    /// The labels as a rank-1 Float tensor of class indices (Keras's `y_train`).
    public var y: Tensor { TensorFactory.make(shape: [count], scalars: labels.map(Float.init)) }
}
