#if canImport(Glibc)
import Glibc
#endif

/// The Kullback-Leibler divergence as a metric (Keras 3's `keras.metrics.KLDivergence`, `"kl_divergence"`):
/// per sample Σ t · log(t / p) over its values, with t and p clipped to [1e-7, 1] as Keras does.
public final class KLDivergenceMetric: MeanMetricWrapper, @unchecked Sendable {
    /// Makes the metric; Keras logs it as "kl_divergence".
    public override init(name: String = "kl_divergence") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        let (_, width) = try MetricInputs.layout(yPred, metric: name)
        let means = try MetricInputs.perSampleMeans(yTrue, yPred, metric: name) { target, prediction in
            let t = Swift.min(Swift.max(target, 1e-7), 1), p = Swift.min(Swift.max(prediction, 1e-7), 1)
            return t * log(t / p)
        }
        return means.map { $0 * Float(width) }
    }
}
