import KestrelTensor
/// Keras `RandomBrightness`: adds `d·(max − min)` of `valueRange` to every pixel of an image, d drawn from `factor`
/// (within −1...1), then clips to `valueRange`.
public struct RandomBrightnessTransform: ImageTransform {
    public var factor: FactorRange
    public var valueRange: ClosedRange<Float>

    public init(factor: FactorRange, valueRange: ClosedRange<Float> = 0...255) throws {
        self.factor = try factor.validated("factor", within: -1...1)
        self.valueRange = valueRange
    }

    public func apply(to batch: ImageBatch, generator: inout RandomGenerator) -> ImageBatch {
        let span = Double(valueRange.upperBound - valueRange.lowerBound)
        let deltas = (0..<batch.count).map { _ in Float(generator.uniform(factor.lower, factor.upper) * span) }
        var output = batch
        let imageSize = batch.imageSize
        let minimum = valueRange.lowerBound, maximum = valueRange.upperBound
        output.updateEachImage { image, index in
            let delta = deltas[index]
            for offset in 0..<imageSize { image[offset] = min(max(image[offset] + delta, minimum), maximum) }
        }
        return output
    }
}
