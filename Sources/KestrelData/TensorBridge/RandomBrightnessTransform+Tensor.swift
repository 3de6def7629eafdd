import KestrelTensor

extension RandomBrightnessTransform {
    /// Adds each image's drawn offset and clips, as tensor operations: no copy of the batch into an
    /// `ImageBatch` and back (what the augmentation layer `RandomBrightness` calls during training).
    /// Draws the offsets in the same order and computes `min(max(x + d, lower), upper)` as
    /// `apply(to:generator:)` on an `ImageBatch` does, so both give the same values.
    public func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor {
        let count = try ImageBatch.checkedImageShape(images.shape)[0]
        let span = Double(valueRange.upperBound - valueRange.lowerBound)
        let deltas = (0..<count).map { _ in Float(generator.uniform(factor.lower, factor.upper) * span) }
        let offsets = try Tensor(shape: [count] + Array(repeating: 1, count: images.rank - 1), scalars: deltas)
        return try (images + offsets).clipped(lower: valueRange.lowerBound, upper: valueRange.upperBound)
    }
}
