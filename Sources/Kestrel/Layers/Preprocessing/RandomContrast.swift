/// Scales each image's contrast by a random factor in [1 − factor, 1 + factor] during training
/// (Keras's `RandomContrast`, values in 0…255).
public final class RandomContrast: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer; throws for factors outside Keras's allowed range.
    public init(_ factor: Double, valueRange: ClosedRange<Float> = 0...255, seed: UInt64? = nil, name: String? = nil) throws {
        super.init(transform: try RandomContrastTransform(factor: factor, valueRange: valueRange), seed: seed, name: name)
    }

    /// Makes the layer with the contrast drawn from [1 − lower, 1 + upper] (Keras's `factor=(lower, upper)`).
    public init(lower: Double, upper: Double, valueRange: ClosedRange<Float> = 0...255, seed: UInt64? = nil, name: String? = nil) throws {
        super.init(transform: try RandomContrastTransform(lower: lower, upper: upper, valueRange: valueRange), seed: seed, name: name)
    }

    /// Keras's `RandomContrast` config: `factor` [lower, upper] (the contrast is drawn from
    /// [1 − lower, 1 + upper], Keras's rule) and `value_range`.
    public override var config: LayerConfig {
        guard let contrast = transform as? RandomContrastTransform else { return super.config }
        return super.config.merging([
            "factor": .array([.double(contrast.lower), .double(contrast.upper)]),
            "value_range": .array([KerasObjects.number(contrast.valueRange.lowerBound), KerasObjects.number(contrast.valueRange.upperBound)]),
        ]) { $1 }
    }
}
