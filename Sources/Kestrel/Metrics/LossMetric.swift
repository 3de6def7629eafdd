/// A loss tracked as a metric: the weighted mean of the loss's per-sample values over the epoch, as Keras 3's
/// `keras.metrics.BinaryCrossentropy`, `CategoricalCrossentropy` and `SparseCategoricalCrossentropy` (and the
/// strings `"binary_crossentropy"`, `"bce"`, `"categorical_crossentropy"`, `"sparse_categorical_crossentropy"`
/// in `compile(metrics:)`, which the TensorFlow overfit/underfit tutorial monitors as `val_binary_crossentropy`).
///
/// As in Keras 3 (TensorFlow backend), a cross-entropy metric on an output that came out of a sigmoid or softmax
/// reads the values before that activation (`Loss.logitsForm(after:)`), whatever the compiled loss: so
/// `binary_crossentropy` on a sigmoid model logs the loss's own value when the loss is binary cross-entropy,
/// and the unclipped value from the logits when the loss is `mse`. The trainer keeps those values for it
/// (`Model.logitsRequests()`). Elsewhere (a linear output, or a custom step's `updateMetrics`) the metric
/// applies the loss to the output (probabilities, unless the loss says `fromLogits`), clipped at 1e-7 as Keras
/// does for an output without remembered logits.
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

extension LossMetric: LogitsReadingMetric {
    /// Adds a batch from the values before the output's `activation` when the loss reads them (Keras's
    /// `_keras_logits`), else from the output `yPred`.
    func updateState(yTrue: Tensor, yPred: Tensor, logits: Tensor, activation: String, sampleWeight: Tensor?) throws {
        guard let logitsLoss = loss.logitsForm(after: activation) else {
            return try updateState(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
        }
        try accumulate(try logitsLoss.perSample(yTrue: yTrue.detached, yPred: logits.detached).scalars, sampleWeight: sampleWeight)
    }

    /// Whether the loss has a logits form for `activation` (the cross-entropy matching it).
    func readsLogits(after activation: String) -> Bool { loss.logitsForm(after: activation) != nil }
}

extension LossMetric {
    /// Keras's strings for a loss tracked as a metric.
    static let kerasNames = ["binary_crossentropy", "bce", "categorical_crossentropy", "sparse_categorical_crossentropy"]

    /// The loss `name` names, with Keras's defaults, as a metric.
    static func kerasMetric(name: String) throws -> Metric {
        let loss: Loss = name == "categorical_crossentropy" ? CategoricalCrossentropy()
            : name == "sparse_categorical_crossentropy" ? SparseCategoricalCrossentropy() : BinaryCrossentropy()
        return LossMetric(loss, name: name)
    }
}
