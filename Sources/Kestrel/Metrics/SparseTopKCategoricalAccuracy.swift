/// How often the integer label is among the `k` highest predictions, as Keras 3's
/// `SparseTopKCategoricalAccuracy`. Labels are [N] or [N, 1]; predictions [N, C].
public final class SparseTopKCategoricalAccuracy: MeanMetricWrapper, @unchecked Sendable {
    /// How many of the top predictions count.
    public let k: Int

    /// Makes the metric with Keras's default `k` of 5.
    public init(k: Int = 5, name: String = "sparse_top_k_categorical_accuracy") {
        self.k = k
        super.init(name: name)
    }

    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        let classes = try MetricInputs.checkSparse(yTrue, yPred, metric: name)
        guard yPred.rank == 2 else {
            throw KestrelError.shapeMismatch("\(name): predictions must be [batch, classes], got \(yPred.shape).")
        }
        let labels = yTrue.buffer.pointer, p = yPred.buffer.pointer
        return (0..<yPred.shape[0]).map { sample in
            let label = Int(labels[sample])  // Keras casts labels to int32
            guard label >= 0, label < classes else { return 0 }
            return MetricInputs.inTopK(p + sample * classes, classes, target: label, k: k) ? 1 : 0
        }
    }
}
