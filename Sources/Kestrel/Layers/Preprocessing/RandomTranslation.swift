/// Shifts images by random fractions of their height and width during training (Keras's
/// `RandomTranslation`).
public final class RandomTranslation: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer; throws for factors outside Keras's allowed range.
    public init(heightFactor: FactorRange, widthFactor: FactorRange, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, seed: UInt64? = nil, fillValue: Float = 0, name: String? = nil) throws {
        let transform = try RandomTranslationTransform(heightFactor: heightFactor, widthFactor: widthFactor, fillMode: fillMode,
                                                       interpolation: interpolation, fillValue: fillValue)
        super.init(transform: transform, seed: seed, name: name)
    }

    /// Keras's `RandomTranslation` config (`height_factor`, `width_factor`, fill and interpolation).
    public override var config: LayerConfig {
        guard let shift = transform as? RandomTranslationTransform else { return super.config }
        return super.config.merging(Self.geometry(shift).merging([
            "height_factor": Self.factor(shift.heightFactor), "width_factor": Self.factor(shift.widthFactor),
        ]) { $1 }) { $1 }
    }
}

extension RandomTranslation: KerasSerializable {
    /// Keras's `RandomTranslation.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        try self.init(heightFactor: try reader.factor("height_factor"), widthFactor: try reader.factor("width_factor"),
                      fillMode: try reader.fillMode(), interpolation: try reader.interpolation(), seed: try reader.seed(),
                      fillValue: try reader.float("fill_value", default: 0), name: try reader.layerName())
    }
}
