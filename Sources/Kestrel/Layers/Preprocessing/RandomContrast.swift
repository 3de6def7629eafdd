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

extension RandomContrast: KerasSerializable {
    /// Keras's `RandomContrast.from_config`: Keras keeps (lower, upper) and draws the contrast from
    /// [1 − lower, 1 + upper]; a single number f becomes (0, f), as Keras 3's constructor does.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        let range: (Double, Double)
        if let number = reader.config["factor"]?.doubleValue {
            range = (0, abs(number))
        } else {
            let pair = try reader.factor("factor")
            range = (pair.lower, pair.upper)
        }
        try self.init(lower: range.0, upper: range.1, valueRange: try reader.valueRange(), seed: try reader.seed(), name: try reader.layerName())
    }
}
