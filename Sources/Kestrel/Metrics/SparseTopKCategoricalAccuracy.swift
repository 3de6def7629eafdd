/// How often the integer label is among the `k` highest predictions, as Keras 3's
/// `SparseTopKCategoricalAccuracy`. Labels are [N] or [N, 1]; predictions [N, C].
public final class SparseTopKCategoricalAccuracy: MeanMetricWrapper, @unchecked Sendable {
    /// Higher is better, as Keras's `SparseTopKCategoricalAccuracy` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    /// How many of the top predictions count.
    public let k: Int

    /// Makes the metric with Keras's default `k` of 5.
    public init(k: Int = 5, name: String = "sparse_top_k_categorical_accuracy") {
        self.k = k
        super.init(name: name)
    }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        _ = try MetricInputs.checkSparse(yTrue, yPred, metric: name)
        guard yPred.rank == 2 else {
            throw KestrelError.shapeMismatch("\(name): predictions must be [batch, classes], got \(yPred.shape).")
        }
        return try yPred.inTopK(yTrue, k: k).scalars  // labels truncated to integers, as Keras's int32 cast
    }
}
