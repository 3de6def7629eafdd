/// Random shear about the image centre: input x moves by `xFactor`·(y − centre) and input y by `yFactor`·(x − centre),
/// each factor drawn per image from its range (0.2 means ±0.2, i.e. up to 20% of the image across).
public struct RandomShearTransform: GeometricImageTransform {
    public var xFactor: FactorRange
    public var yFactor: FactorRange
    public var fillMode: FillMode
    public var fillValue: Float
    public var interpolation: Interpolation

    public init(xFactor: FactorRange = 0, yFactor: FactorRange = 0, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.xFactor = try xFactor.validated("xFactor")
        self.yFactor = try yFactor.validated("yFactor")
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    public func sampleTransform(height: Int, width: Int, generator: inout DataRandomGenerator) -> AffineTransform {
        .shear(x: generator.uniform(xFactor.lower, xFactor.upper), y: generator.uniform(yFactor.lower, yFactor.upper),
               height: height, width: width)
    }
}
