import KestrelTensor
/// Keras `RandomRotation`: rotates each image by an angle drawn from `factor` × 2π (0.1 means up to ±36°);
/// positive angles turn counter-clockwise.
public struct RandomRotationTransform: GeometricImageTransform {
    /// The rotation range as a fraction of a full turn (0.1 means ±36°).
    public var factor: FactorRange
    /// How points outside the image are filled.
    public var fillMode: FillMode
    /// The value of points outside the image when `fillMode` is `.constant`.
    public var fillValue: Float
    /// How the image is sampled between pixel centres.
    public var interpolation: Interpolation

    /// A rotation by a fraction of 2π drawn from `factor`; throws when the factor is not finite.
    public init(factor: FactorRange, fillMode: FillMode = .reflect, interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.factor = try factor.validated("factor")
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    /// Draws one image's map (output → input coordinates) from the generator.
    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        .rotation(generator.uniform(factor.lower, factor.upper) * 2 * Double.pi, height: height, width: width)
    }
}
