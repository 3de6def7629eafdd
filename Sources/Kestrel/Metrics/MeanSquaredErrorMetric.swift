/// The mean squared error as a metric (Keras 3's `keras.metrics.MeanSquaredError`): per sample the mean
/// of `(t − p)²` over its values, then the weighted mean over samples. Named `…Metric` because
/// `MeanSquaredError` is the loss.
public final class MeanSquaredErrorMetric: MeanMetricWrapper, @unchecked Sendable {
    /// Lower is better, as Keras's `MeanSquaredError` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .down }

    /// Makes the metric; Keras logs it as "mean_squared_error" (or "mse" when given as that string).
    public override init(name: String = "mean_squared_error") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try MetricInputs.perSampleMeans(yTrue, yPred, metric: name) { t, p in (p - t) * (p - t) }
    }
}
