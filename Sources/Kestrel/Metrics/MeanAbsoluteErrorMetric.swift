/// The mean absolute error as a metric (Keras 3's `keras.metrics.MeanAbsoluteError`): per sample the
/// mean of `|t − p|` over its values, then the weighted mean over samples. Named `…Metric` because
/// `MeanAbsoluteError` is the loss.
public final class MeanAbsoluteErrorMetric: MeanMetricWrapper, @unchecked Sendable {
    /// Lower is better, as Keras's `MeanAbsoluteError` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .down }

    /// Makes the metric; Keras logs it as "mean_absolute_error" (or "mae" when given as that string).
    public override init(name: String = "mean_absolute_error") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try MetricInputs.perSampleMeans(yTrue, yPred, metric: name) { t, p in Swift.abs(p - t) }
    }
}
