import KestrelTensor

extension ImageTransform {
    /// Applies the transform to an N×H×W×C tensor (an N×H×W tensor is treated as one channel and keeps its shape).
    public func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor {
        let output = apply(to: try ImageBatch(images), generator: &generator)
        return TensorFactory.make(shape: images.shape, scalars: output.pixels)
    }
}
