import KestrelTensor

extension RandomContrastTransform {
    /// `(x − mean)·c + mean` per image and channel, clipped, as tensor operations (what the layer
    /// `RandomContrast` calls during training); draws the factors in the same order as on an `ImageBatch`.
    public func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor {
        let shape = try ImageBatch.checkedImageShape(images.shape)
        let factors = (0..<shape[0]).map { _ in Float(generator.uniform(1 - lower, 1 + upper)) }
        let perImage = try Tensor(shape: [shape[0]] + Array(repeating: 1, count: images.rank - 1), scalars: factors)
        let mean = try images.mean(axes: [1, 2], keepDims: true)
        return try ((images - mean) * perImage + mean).clipped(lower: valueRange.lowerBound, upper: valueRange.upperBound)
    }
}
