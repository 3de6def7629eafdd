import KestrelTensor
/// Keras `RandomRotation`: rotates each image by an angle drawn from `factor` × 2π (0.1 means up to ±36°);
/// positive angles turn counter-clockwise.
public struct RandomRotationTransform: GeometricImageTransform {
    public var factor: FactorRange
    public var fillMode: FillMode
    public var fillValue: Float
    public var interpolation: Interpolation

    public init(factor: FactorRange, fillMode: FillMode = .reflect, interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.factor = try factor.validated("factor")
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        .rotation(generator.uniform(factor.lower, factor.upper) * 2 * Double.pi, height: height, width: width)
    }
}
