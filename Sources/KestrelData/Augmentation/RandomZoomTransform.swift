import KestrelTensor
/// Keras `RandomZoom`: zooms each image about its centre by 1 + a value drawn from the factors; positive values zoom out,
/// negative values zoom in. Without `widthFactor` the aspect ratio is kept.
public struct RandomZoomTransform: GeometricImageTransform {
    public var heightFactor: FactorRange
    public var widthFactor: FactorRange?
    public var fillMode: FillMode
    public var fillValue: Float
    public var interpolation: Interpolation

    public init(heightFactor: FactorRange, widthFactor: FactorRange? = nil, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.heightFactor = try heightFactor.validated("heightFactor", within: -1...Double.greatestFiniteMagnitude)
        self.widthFactor = try widthFactor?.validated("widthFactor", within: -1...Double.greatestFiniteMagnitude)
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        let zoomY = 1 + generator.uniform(heightFactor.lower, heightFactor.upper)
        let zoomX = widthFactor.map { 1 + generator.uniform($0.lower, $0.upper) } ?? zoomY
        return .zoom(x: zoomX, y: zoomY, height: height, width: width)
    }
}
