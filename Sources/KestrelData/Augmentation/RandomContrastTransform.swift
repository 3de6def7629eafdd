import KestrelTensor
/// Keras `RandomContrast`: per image and channel, `(x − mean)·c + mean` with c drawn from [1 − lower, 1 + upper],
/// clipped to `valueRange`.
public struct RandomContrastTransform: ImageTransform {
    /// The largest decrease of the contrast factor below 1.
    public var lower: Double
    /// The largest increase of the contrast factor above 1.
    public var upper: Double
    /// The range the results are clipped to (0...255 for raw pixels).
    public var valueRange: ClosedRange<Float>

    /// `factor` f means c ∈ [1 − f, 1 + f].
    public init(factor: Double, valueRange: ClosedRange<Float> = 0...255) throws {
        try self.init(lower: factor, upper: factor, valueRange: valueRange)
    }

    /// The contrast factor c is drawn from [1 − lower, 1 + upper]; throws when `lower` is outside 0...1 or `upper` is negative.
    public init(lower: Double, upper: Double, valueRange: ClosedRange<Float> = 0...255) throws {
        guard lower >= 0, upper >= 0, lower <= 1 else {
            throw DataError.invalidArgument("factor", "contrast factors must be ≥ 0 with lower ≤ 1, got (\(lower), \(upper))")
        }
        self.lower = lower
        self.upper = upper
        self.valueRange = valueRange
    }
}
