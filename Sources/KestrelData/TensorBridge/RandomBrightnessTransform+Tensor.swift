import KestrelTensor

extension RandomBrightnessTransform {
    /// Adds each image's drawn offset `d` and clips, `min(max(x + d, lower), upper)`, as tensor
    /// operations (what the augmentation layer `RandomBrightness` calls during training, and what
    /// `apply(to:generator:)` on an `ImageBatch` runs on the batch as a tensor).
    public func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor {
        let count = try ImageBatch.checkedImageShape(images.shape)[0]
        let span = Double(valueRange.upperBound - valueRange.lowerBound)
        let deltas = (0..<count).map { _ in Float(generator.uniform(factor.lower, factor.upper) * span) }
        let offsets = try Tensor(shape: [count] + Array(repeating: 1, count: images.rank - 1), scalars: deltas)
        return try (images + offsets).clipped(lower: valueRange.lowerBound, upper: valueRange.upperBound)
    }
}
