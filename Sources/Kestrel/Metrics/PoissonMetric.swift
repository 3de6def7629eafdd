#if canImport(Glibc)
import Glibc
#endif

/// The Poisson loss as a metric (Keras 3's `keras.metrics.Poisson`, `"poisson"`): per sample
/// mean(p − t · log(p + 1e-7)).
public final class PoissonMetric: MeanMetricWrapper, @unchecked Sendable {
    /// Makes the metric; Keras logs it as "poisson".
    public override init(name: String = "poisson") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try MetricInputs.perSampleMeans(yTrue, yPred, metric: name) { t, p in p - t * log(p + 1e-7) }
    }
}
