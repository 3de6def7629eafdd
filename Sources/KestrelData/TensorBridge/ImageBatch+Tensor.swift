import KestrelTensor

extension ImageBatch {
    /// Wraps an N×H×W×C (or N×H×W) tensor.
    public init(_ tensor: Tensor) throws {
        try self.init(pixels: tensor.scalars, shape: tensor.shape)
    }

    /// The batch as an N×H×W×C tensor.
    public var tensor: Tensor { TensorFactory.make(shape: shape, scalars: pixels) }
}
