import KestrelTensor

extension DataElement {
    /// Builds an element from tensors.
    public init(x: Tensor, y: Tensor) {
        self.init(x: x.scalars, xShape: x.shape, y: y.scalars, yShape: y.shape)
    }

    /// The features as a tensor.
    public var xTensor: Tensor { TensorFactory.make(shape: xShape, scalars: x) }

    /// The targets as a tensor.
    public var yTensor: Tensor { TensorFactory.make(shape: yShape, scalars: y) }
}
