/// Scales each image's contrast by a random factor in [1 − factor, 1 + factor] during training
/// (Keras's `RandomContrast`, values in 0…255).
public final class RandomContrast: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer; throws for factors outside Keras's allowed range.
    public init(_ factor: Double, valueRange: ClosedRange<Float> = 0...255, seed: UInt64? = nil, name: String? = nil) throws {
        super.init(transform: try RandomContrastTransform(factor: factor, valueRange: valueRange), seed: seed, name: name)
    }
}
