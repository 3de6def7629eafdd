/// How often the predicted class (argmax of `yPred`) equals the integer label, as Keras 3's
/// `SparseCategoricalAccuracy`. Labels are [N] or [N, 1]; predictions [N, C].
public final class SparseCategoricalAccuracy: MeanMetricWrapper, @unchecked Sendable {
    /// Higher is better, as Keras's `SparseCategoricalAccuracy` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    /// Makes the metric (logged as "sparse_categorical_accuracy" unless named otherwise).
    public override init(name: String = "sparse_categorical_accuracy") { super.init(name: name) }

    /// One value per sample; the wrapper averages them (weighted) over the epoch.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        let classes = try MetricInputs.checkSparse(yTrue, yPred, metric: name)
        let (batch, width) = try MetricInputs.layout(yPred, metric: name)
        let rows = width / classes
        let predicted = try yPred.argmax(axis: -1).reshaped([batch * rows])
        let hits = try yTrue.reshaped([batch * rows]).equal(predicted)
        return MetricInputs.perSampleRowFractions(hits, batch: batch, rows: rows)
    }
}
