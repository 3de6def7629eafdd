import KestrelTensor
/// A random image augmentation applied to NHWC batches; parameters are drawn per image from the generator passed in,
/// so a seeded generator makes the result reproducible.
public protocol ImageTransform: Sendable {
    /// Returns the augmented batch.
    func apply(to batch: ImageBatch, generator: inout RandomGenerator) -> ImageBatch

    /// The transform on an N×H×W×C tensor (an N×H×W tensor is one channel and keeps its shape), drawing
    /// the same parameters from `generator` as `apply(to:generator:)` on an `ImageBatch`. The default
    /// copies the tensor into an `ImageBatch` and back; a transform that tensor operations can express
    /// (`RandomBrightnessTransform`) implements it without that round trip.
    func apply(to images: Tensor, generator: inout RandomGenerator) throws -> Tensor
}

extension ImageTransform {
    /// Keras's preprocessing-layer contract: augments only when `training`; at inference returns `batch` unchanged.
    public func apply(to batch: ImageBatch, generator: inout RandomGenerator, training: Bool) -> ImageBatch {
        training ? apply(to: batch, generator: &generator) : batch
    }
}

/// A transform that is an affine resampling; consecutive ones are fused by `AugmentationPipeline` into a single pass.
public protocol GeometricImageTransform: ImageTransform {
    var fillMode: FillMode { get }
    var fillValue: Float { get }
    var interpolation: Interpolation { get }
    /// False when the transform never samples outside the image (flips), so any fill mode may be used with it.
    var samplesOutside: Bool { get }
    /// Draws one image's map (output → input coordinates).
    func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform
}

extension GeometricImageTransform {
    /// Geometric transforms sample outside the image unless they say otherwise.
    public var samplesOutside: Bool { true }

    /// Returns the augmented batch; parameters are drawn per image from `generator`.
    public func apply(to batch: ImageBatch, generator: inout RandomGenerator) -> ImageBatch {
        var transforms: [AffineTransform] = []
        transforms.reserveCapacity(batch.count)
        for _ in 0..<batch.count { transforms.append(sampleTransform(height: batch.height, width: batch.width, generator: &generator)) }
        return AffineWarp.warpEach(batch, fillMode: fillMode, fillValue: fillValue, interpolation: interpolation) { transforms[$0] }
    }
}
