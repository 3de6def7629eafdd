import KestrelTensor
/// A random image augmentation applied to NHWC batches; parameters are drawn per image from the generator passed in,
/// so a seeded generator makes the result reproducible.
public protocol ImageTransform: Sendable {
    /// Returns the augmented batch (by default the tensor path's values: the same draws, one implementation).
    func apply(to batch: ImageBatch, generator: inout RandomGenerator) -> ImageBatch

    /// The transform on an N×H×W×C tensor (an N×H×W tensor is treated as one channel and keeps its shape),
    /// drawing the same parameters from `generator` as `apply(to:generator:)` on an `ImageBatch`, written
    /// into the result's storage by tensor operations (no copy of the batch into an `ImageBatch`).
    func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor
}

extension ImageTransform {
    /// The batch as a tensor through `apply(to:generator:)` on tensors; a batch the transform cannot
    /// resample (a map drawn out of all proportion) comes back unchanged.
    public func apply(to batch: ImageBatch, generator: inout RandomGenerator) -> ImageBatch {
        guard let output = try? apply(to: batch.tensor, generator: &generator) else { return batch }
        return ImageBatch(uncheckedPixels: output.scalars, count: batch.count, height: batch.height, width: batch.width,
                          channels: batch.channels)
    }

    /// Keras's preprocessing-layer contract: augments only when `training`; at inference returns `batch` unchanged.
    public func apply(to batch: ImageBatch, generator: inout RandomGenerator, training: Bool) -> ImageBatch {
        training ? apply(to: batch, generator: &generator) : batch
    }
}

/// A transform that is an affine resampling; consecutive ones are fused by `AugmentationPipeline` into a single pass.
public protocol GeometricImageTransform: ImageTransform {
    /// How points outside the image are filled.
    var fillMode: FillMode { get }
    /// The value of points outside the image when `fillMode` is `.constant`.
    var fillValue: Float { get }
    /// How the image is sampled between pixel centres.
    var interpolation: Interpolation { get }
    /// False when the transform never samples outside the image (flips), so any fill mode may be used with it.
    var samplesOutside: Bool { get }
    /// Draws one image's map (output → input coordinates).
    func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform
}

extension GeometricImageTransform {
    /// Geometric transforms sample outside the image unless they say otherwise.
    public var samplesOutside: Bool { true }

    /// One map per image, drawn in order from `generator` (the same draws for a batch and a tensor).
    func sampleTransforms(count: Int, height: Int, width: Int, generator: inout RandomGenerator) -> [AffineTransform] {
        (0..<count).map { _ in sampleTransform(height: height, width: width, generator: &generator) }
    }
}
