import KestrelTensor

extension AugmentationPipeline {
    /// The transforms in order on a tensor, each run of geometric ones resampled in one pass, with the
    /// same draws as on an `ImageBatch`.
    public func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor {
        var current = images
        for pass in passes { current = try pass.apply(to: current, generator: &generator) }
        return current
    }
}
