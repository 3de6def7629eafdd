/// A loss tracked as a metric: the weighted mean of the loss's per-sample values over the epoch, as Keras 3's
/// `keras.metrics.BinaryCrossentropy`, `CategoricalCrossentropy` and `SparseCategoricalCrossentropy` (and the
/// strings `"binary_crossentropy"`, `"bce"`, `"categorical_crossentropy"`, `"sparse_categorical_crossentropy"`
/// in `compile(metrics:)`, which the TensorFlow overfit/underfit tutorial monitors as `val_binary_crossentropy`).
///
/// The metric applies the loss to the model's output (probabilities, unless the loss says `fromLogits`), so a
/// sample whose probability is clipped at 1e-7 contributes at most −log(1e-7) ≈ 16.1, as the metric does in Keras.
public final class LossMetric: MeanMetricWrapper, @unchecked Sendable {
    /// The loss whose per-sample values are averaged.
    public let loss: Loss

    /// Tracks `loss` under `name` (default: the loss's Keras name, e.g. "binary_crossentropy").
    public init(_ loss: Loss, name: String? = nil) {
        self.loss = loss
        super.init(name: name ?? loss.name)
    }

    /// The loss of each sample, without gradient tracking.
    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try loss.perSample(yTrue: yTrue.detached, yPred: yPred.detached).scalars
    }
}

extension LossMetric: KerasNamedMetric {
    /// Keras's strings for a loss tracked as a metric.
    static let kerasNames = ["binary_crossentropy", "bce", "categorical_crossentropy", "sparse_categorical_crossentropy"]

    /// The loss `name` names, with Keras's defaults, as a metric.
    static func kerasMetric(name: String) throws -> Metric {
        let loss: Loss = name == "categorical_crossentropy" ? CategoricalCrossentropy()
            : name == "sparse_categorical_crossentropy" ? SparseCategoricalCrossentropy() : BinaryCrossentropy()
        return LossMetric(loss, name: name)
    }
}
