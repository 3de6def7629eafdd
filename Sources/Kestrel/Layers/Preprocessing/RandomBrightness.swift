/// Adds a random brightness offset (a fraction of the value range) during training (Keras's
/// `RandomBrightness`).
public final class RandomBrightness: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer; throws for factors outside Keras's allowed range.
    public init(_ factor: FactorRange, valueRange: ClosedRange<Float> = 0...255, seed: UInt64? = nil, name: String? = nil) throws {
        super.init(transform: try RandomBrightnessTransform(factor: factor, valueRange: valueRange), seed: seed, name: name)
    }

    /// Keras's `RandomBrightness` config (`factor` [lower, upper], `value_range`).
    public override var config: LayerConfig {
        guard let brightness = transform as? RandomBrightnessTransform else { return super.config }
        return super.config.merging([
            "factor": Self.factor(brightness.factor),
            "value_range": .array([KerasObjects.number(brightness.valueRange.lowerBound), KerasObjects.number(brightness.valueRange.upperBound)]),
        ]) { $1 }
    }
}

extension RandomBrightness: KerasSerializable {
    /// Keras's `RandomBrightness.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        try self.init(try reader.factor("factor"), valueRange: try reader.valueRange(), seed: try reader.seed(), name: try reader.layerName())
    }
}
