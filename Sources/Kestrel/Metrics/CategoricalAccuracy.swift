/// How often the predicted class (argmax of `yPred`) equals the one-hot target's class (argmax of
/// `yTrue`), as Keras 3's `CategoricalAccuracy`. Both are [N, C].
public final class CategoricalAccuracy: MeanMetricWrapper, @unchecked Sendable {
    /// Higher is better, as Keras's `CategoricalAccuracy` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    /// Makes the metric (logged as "categorical_accuracy" unless named otherwise).
    public override init(name: String = "categorical_accuracy") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        guard yTrue.shape == yPred.shape, yPred.rank >= 2, let classes = yPred.shape.last, classes > 0 else {
            throw KestrelError.shapeMismatch(
                "\(name): targets of shape \(yTrue.shape) must be one-hot with the predictions' shape \(yPred.shape); for integer labels use sparseCategoricalAccuracy.")
        }
        let (batch, width) = try MetricInputs.layout(yPred, metric: name)
        let rows = width / classes
        let hits = try yTrue.argmax(axis: -1).equal(yPred.argmax(axis: -1))
        return MetricInputs.perSampleRowFractions(hits, batch: batch, rows: rows)
    }
}
