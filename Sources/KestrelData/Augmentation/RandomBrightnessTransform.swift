import KestrelTensor
/// Keras `RandomBrightness`: adds `d·(max − min)` of `valueRange` to every pixel of an image, d drawn from `factor`
/// (within −1...1), then clips to `valueRange`.
public struct RandomBrightnessTransform: ImageTransform {
    /// The brightness change as a fraction of the value range, drawn per image.
    public var factor: FactorRange
    /// The range the results are clipped to (0...255 for raw pixels).
    public var valueRange: ClosedRange<Float>

    /// Adds a drawn fraction of `valueRange` to each image; throws when the factor is outside [-1, 1].
    public init(factor: FactorRange, valueRange: ClosedRange<Float> = 0...255) throws {
        self.factor = try factor.validated("factor", within: -1...1)
        self.valueRange = valueRange
    }
}
