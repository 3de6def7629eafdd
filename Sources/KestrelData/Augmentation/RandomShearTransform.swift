import KestrelTensor
/// Keras `RandomShear`: input x moves by s_x·(y − centre) and input y by s_y·(x − centre), with s_x, s_y drawn per image
/// from `xFactor`, `yFactor` (0.3 shears up to 30% of the image across; each factor within −1...1) and both negated
/// together with probability 1/2, as Keras does. Unlike Keras (which shears about the top-left corner and so also shifts
/// the image), the shear is about the centre.
public struct RandomShearTransform: GeometricImageTransform {
    /// The horizontal shear range, drawn per image.
    public var xFactor: FactorRange
    /// The vertical shear range, drawn per image.
    public var yFactor: FactorRange
    /// How points outside the image are filled.
    public var fillMode: FillMode
    /// The value of points outside the image when `fillMode` is `.constant`.
    public var fillValue: Float
    /// How the image is sampled between pixel centres.
    public var interpolation: Interpolation

    /// A shear drawn from `xFactor` and `yFactor`; throws when a factor is not finite.
    public init(xFactor: FactorRange = 0, yFactor: FactorRange = 0, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.xFactor = try xFactor.validated("xFactor", within: -1...1)
        self.yFactor = try yFactor.validated("yFactor", within: -1...1)
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    /// Draws one image's map (output → input coordinates) from the generator.
    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        let sign: Double = generator.next() & 1 == 1 ? -1 : 1
        return .shear(x: sign * generator.uniform(xFactor.lower, xFactor.upper), y: sign * generator.uniform(yFactor.lower, yFactor.upper),
                      height: height, width: width)
    }
}
