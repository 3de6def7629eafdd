/// Rotates images by a random angle during training (Keras's `RandomRotation`): `factor` is a fraction
/// of a full turn, e.g. 0.1 means up to ±36°.
public final class RandomRotation: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer; throws for factors outside Keras's allowed range.
    public init(_ factor: FactorRange, fillMode: FillMode = .reflect, interpolation: Interpolation = .bilinear,
                seed: UInt64? = nil, fillValue: Float = 0, name: String? = nil) throws {
        let transform = try RandomRotationTransform(factor: factor, fillMode: fillMode, interpolation: interpolation, fillValue: fillValue)
        super.init(transform: transform, seed: seed, name: name)
    }
}
