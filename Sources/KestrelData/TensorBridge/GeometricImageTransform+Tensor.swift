import KestrelTensor

extension GeometricImageTransform {
    /// Draws one map per image, as on an `ImageBatch`, and resamples the tensor through them
    /// (`Tensor.resampled`: the backend writes the result's storage).
    public func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor {
        let shape = try ImageBatch.checkedImageShape(images.shape)
        let maps = sampleTransforms(count: shape[0], height: shape[1], width: shape[2], generator: &generator)
        return try images.resampled(maps, fillMode: fillMode, fillValue: fillValue, interpolation: interpolation)
    }
}
