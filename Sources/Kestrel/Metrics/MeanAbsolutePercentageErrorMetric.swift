/// The mean absolute percentage error as a metric (Keras 3's `keras.metrics.MeanAbsolutePercentageError`,
/// `"mape"`): per sample 100 · mean(|t − p| / max(|t|, 1e-7)).
public final class MeanAbsolutePercentageErrorMetric: MeanMetricWrapper, @unchecked Sendable {
    /// Makes the metric; Keras logs it as "mean_absolute_percentage_error" (or "mape" given as that string).
    public override init(name: String = "mean_absolute_percentage_error") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try MetricInputs.perSampleMeans(yTrue, yPred, metric: name) { t, p in 100 * Swift.abs(t - p) / Swift.max(Swift.abs(t), 1e-7) }
    }
}
