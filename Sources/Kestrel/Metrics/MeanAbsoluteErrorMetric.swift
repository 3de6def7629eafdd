/// The mean absolute error as a metric (Keras 3's `keras.metrics.MeanAbsoluteError`): per sample the
/// mean of `|t − p|` over its values, then the weighted mean over samples. Named `…Metric` because
/// `MeanAbsoluteError` is the loss.
public final class MeanAbsoluteErrorMetric: MeanMetricWrapper, @unchecked Sendable {
    /// Makes the metric; Keras logs it as "mean_absolute_error" (or "mae" when given as that string).
    public override init(name: String = "mean_absolute_error") { super.init(name: name) }

    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try MetricInputs.checkSameCount(yTrue, yPred, metric: name)
        let (batch, width) = try MetricInputs.layout(yPred, metric: name)
        let t = yTrue.buffer.pointer, p = yPred.buffer.pointer
        return (0..<batch).map { sample in
            var total: Float = 0
            for element in (sample * width)..<((sample + 1) * width) { total += Swift.abs(p[element] - t[element]) }
            return width == 0 ? 0 : total / Float(width)
        }
    }
}
