/// How often `yPred > threshold` equals the 0/1 target, averaged over the last axis per sample, as
/// Keras 3's `BinaryAccuracy`.
public final class BinaryAccuracy: MeanMetricWrapper, @unchecked Sendable {
    /// Higher is better, as Keras's `BinaryAccuracy` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    /// Predictions above this count as 1.
    public let threshold: Float

    /// Makes the metric with Keras's default threshold of 0.5.
    public init(threshold: Float = 0.5, name: String = "binary_accuracy") {
        self.threshold = threshold
        super.init(name: name)
    }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        let threshold = self.threshold
        return try MetricInputs.perSampleMeans(yTrue, yPred, metric: name) { t, p in t == (p > threshold ? 1 : 0) ? 1 : 0 }
    }
}
