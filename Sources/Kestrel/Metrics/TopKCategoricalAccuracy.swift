/// How often the one-hot target's class is among the `k` highest predictions, as Keras 3's
/// `TopKCategoricalAccuracy` (ties at the boundary count as in, like TensorFlow's `in_top_k`).
public final class TopKCategoricalAccuracy: MeanMetricWrapper, @unchecked Sendable {
    /// Higher is better, as Keras's `TopKCategoricalAccuracy` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    /// How many of the top predictions count.
    public let k: Int

    /// Makes the metric with Keras's default `k` of 5.
    public init(k: Int = 5, name: String = "top_k_categorical_accuracy") {
        self.k = k
        super.init(name: name)
    }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        guard yTrue.shape == yPred.shape, yPred.rank == 2, (yPred.shape.last ?? 0) > 0 else {
            throw KestrelError.shapeMismatch(
                "\(name): targets of shape \(yTrue.shape) must be one-hot [batch, classes] like the predictions \(yPred.shape); for integer labels use sparseTopKCategoricalAccuracy.")
        }
        return try yPred.inTopK(yTrue.argmax(axis: -1), k: k).scalars
    }
}
