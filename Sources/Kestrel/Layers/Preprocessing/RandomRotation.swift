/// Rotates images by a random angle during training (Keras's `RandomRotation`): `factor` is a fraction
/// of a full turn, e.g. 0.1 means up to ±36°.
public final class RandomRotation: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer; throws for factors outside Keras's allowed range.
    public init(_ factor: FactorRange, fillMode: FillMode = .reflect, interpolation: Interpolation = .bilinear,
                seed: UInt64? = nil, fillValue: Float = 0, inputShape: [Int]? = nil, name: String? = nil) throws {
        let transform = try RandomRotationTransform(factor: factor, fillMode: fillMode, interpolation: interpolation, fillValue: fillValue)
        super.init(transform: transform, seed: seed, name: name)
        inputShapeArgument = inputShape
    }

    /// Keras's `RandomRotation` config (`factor` as [lower, upper], fill and interpolation).
    public override var config: LayerConfig {
        guard let rotation = transform as? RandomRotationTransform else { return super.config }
        return super.config.merging(Self.geometry(rotation).merging(["factor": Self.factor(rotation.factor)]) { $1 }) { $1 }
    }
}

extension RandomRotation: KerasSerializable {
    /// Keras's `RandomRotation.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        try self.init(try reader.factor("factor"), fillMode: try reader.fillMode(), interpolation: try reader.interpolation(),
                      seed: try reader.seed(), fillValue: try reader.float("fill_value", default: 0), name: try reader.layerName())
    }
}
