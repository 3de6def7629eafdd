import KestrelTensor
/// Keras `RandomZoom`: zooms each image about its centre by 1 + a value drawn from the factors; positive values zoom out,
/// negative values zoom in. Without `widthFactor` the aspect ratio is kept.
public struct RandomZoomTransform: GeometricImageTransform {
    /// The range of the vertical factor, drawn per image.
    public var heightFactor: FactorRange
    /// The range of the horizontal factor; `nil` uses the vertical factor (keeps the aspect ratio).
    public var widthFactor: FactorRange?
    /// How points outside the image are filled.
    public var fillMode: FillMode
    /// The value of points outside the image when `fillMode` is `.constant`.
    public var fillValue: Float
    /// How the image is sampled between pixel centres.
    public var interpolation: Interpolation

    /// A zoom by 1 + a value drawn from `heightFactor` (and `widthFactor`); throws when a factor is below -1 or not finite.
    public init(heightFactor: FactorRange, widthFactor: FactorRange? = nil, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, fillValue: Float = 0) throws {
        self.heightFactor = try heightFactor.validated("heightFactor", within: -1...Double.greatestFiniteMagnitude)
        self.widthFactor = try widthFactor?.validated("widthFactor", within: -1...Double.greatestFiniteMagnitude)
        self.fillMode = fillMode
        self.fillValue = fillValue
        self.interpolation = interpolation
    }

    /// Draws one image's map (output → input coordinates) from the generator.
    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        let zoomY = 1 + generator.uniform(heightFactor.lower, heightFactor.upper)
        let zoomX = widthFactor.map { 1 + generator.uniform($0.lower, $0.upper) } ?? zoomY
        return .zoom(x: zoomX, y: zoomY, height: height, width: width)
    }
}
