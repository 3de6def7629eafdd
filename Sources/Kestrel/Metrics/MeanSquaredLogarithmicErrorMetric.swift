#if canImport(Glibc)
import Glibc
#endif

/// The mean squared logarithmic error as a metric (Keras 3's `keras.metrics.MeanSquaredLogarithmicError`,
/// `"msle"`): per sample mean((log(max(p, 1e-7) + 1) − log(max(t, 1e-7) + 1))²).
public final class MeanSquaredLogarithmicErrorMetric: MeanMetricWrapper, @unchecked Sendable {
    /// Makes the metric; Keras logs it as "mean_squared_logarithmic_error" (or "msle" given as that string).
    public override init(name: String = "mean_squared_logarithmic_error") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try MetricInputs.perSampleMeans(yTrue, yPred, metric: name) { t, p in
            let difference = log(Swift.max(p, 1e-7) + 1) - log(Swift.max(t, 1e-7) + 1)
            return difference * difference
        }
    }
}
