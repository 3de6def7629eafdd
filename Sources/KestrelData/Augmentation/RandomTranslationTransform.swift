import KestrelTensor
/// Keras `RandomTranslation`: shifts each image by fractions of its height and width drawn from the factors
/// (0.2 means up to ±20%); negative height moves up, negative width moves left.
public struct RandomTranslationTransform: GeometricImageTransform {
    /// The range of the vertical factor, drawn per image.
    public var heightFactor: FactorRange
    /// The range of the horizontal factor, drawn per image.
    public var widthFactor: FactorRange
    /// How points outside the image are filled.
    public var fillMode: FillMode
    /// The value of points outside the image when `fillMode` is `.constant`.
    public var fillValue: Float
    /// How the image is sampled between pixel centres.
    public var interpolation: Interpolation

    /// A shift by fractions of the height and width drawn from the factors; throws when a factor is not finite.
    public init(heightFactor: FactorRange, widthFactor: FactorRange, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.heightFactor = try heightFactor.validated("heightFactor", within: -1...1)
        self.widthFactor = try widthFactor.validated("widthFactor", within: -1...1)
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    /// Draws one image's map (output → input coordinates) from the generator.
    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        let shiftY = generator.uniform(heightFactor.lower, heightFactor.upper) * Double(height)
        let shiftX = generator.uniform(widthFactor.lower, widthFactor.upper) * Double(width)
        return .translation(x: shiftX, y: shiftY)
    }
}
