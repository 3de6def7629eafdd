import KestrelTensor
/// Keras `RandomTranslation`: shifts each image by fractions of its height and width drawn from the factors
/// (0.2 means up to ±20%); negative height moves up, negative width moves left.
public struct RandomTranslationTransform: GeometricImageTransform {
    public var heightFactor: FactorRange
    public var widthFactor: FactorRange
    public var fillMode: FillMode
    public var fillValue: Float
    public var interpolation: Interpolation

    public init(heightFactor: FactorRange, widthFactor: FactorRange, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.heightFactor = try heightFactor.validated("heightFactor", within: -1...1)
        self.widthFactor = try widthFactor.validated("widthFactor", within: -1...1)
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        let shiftY = generator.uniform(heightFactor.lower, heightFactor.upper) * Double(height)
        let shiftX = generator.uniform(widthFactor.lower, widthFactor.upper) * Double(width)
        return .translation(x: shiftX, y: shiftY)
    }
}
