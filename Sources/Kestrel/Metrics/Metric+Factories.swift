/// Keras-style shorthands, so `compile(metrics: [.accuracy, .auc])` reads well, and parsing of Keras's
/// metric strings. Each access makes a fresh metric (metrics hold state).
extension MetricConvertible where Self == Metric {
    /// `"accuracy"`: resolved to binary, sparse categorical or categorical accuracy as Keras 3 does
    /// (see `AutoAccuracy`), logged as "accuracy".
    public static var accuracy: Metric { AutoAccuracy() }
    /// `SparseCategoricalAccuracy()`.
    public static var sparseCategoricalAccuracy: Metric { SparseCategoricalAccuracy() }
    /// `CategoricalAccuracy()`.
    public static var categoricalAccuracy: Metric { CategoricalAccuracy() }
    /// `BinaryAccuracy()` with threshold 0.5.
    public static var binaryAccuracy: Metric { BinaryAccuracy() }
    /// `BinaryAccuracy(threshold:)`.
    public static func binaryAccuracy(threshold: Float) -> Metric { BinaryAccuracy(threshold: threshold) }
    /// `TopKCategoricalAccuracy()` with k = 5.
    public static var topKCategoricalAccuracy: Metric { TopKCategoricalAccuracy() }
    /// `TopKCategoricalAccuracy(k:)`.
    public static func topKCategoricalAccuracy(k: Int) -> Metric { TopKCategoricalAccuracy(k: k) }
    /// `SparseTopKCategoricalAccuracy()` with k = 5.
    public static var sparseTopKCategoricalAccuracy: Metric { SparseTopKCategoricalAccuracy() }
    /// `SparseTopKCategoricalAccuracy(k:)`.
    public static func sparseTopKCategoricalAccuracy(k: Int) -> Metric { SparseTopKCategoricalAccuracy(k: k) }
    /// Mean squared error, logged as "mse" (as Keras logs `metrics=["mse"]`).
    public static var mse: Metric { MeanSquaredErrorMetric(name: "mse") }
    /// Mean absolute error, logged as "mae" (as Keras logs `metrics=["mae"]`).
    public static var mae: Metric { MeanAbsoluteErrorMetric(name: "mae") }
    /// Mean squared error, logged as "mean_squared_error".
    public static var meanSquaredError: Metric { MeanSquaredErrorMetric() }
    /// Mean absolute error, logged as "mean_absolute_error".
    public static var meanAbsoluteError: Metric { MeanAbsoluteErrorMetric() }
    /// `Precision()` with threshold 0.5.
    public static var precision: Metric { Precision() }
    /// `Precision(threshold:)`.
    public static func precision(threshold: Float) -> Metric { Precision(threshold: threshold) }
    /// `Recall()` with threshold 0.5.
    public static var recall: Metric { Recall() }
    /// `Recall(threshold:)`.
    public static func recall(threshold: Float) -> Metric { Recall(threshold: threshold) }
    /// Binary crossentropy of the outputs as a metric, logged as "binary_crossentropy".
    public static var binaryCrossentropy: Metric { LossMetric(BinaryCrossentropy()) }
    /// Categorical crossentropy of the outputs as a metric, logged as "categorical_crossentropy".
    public static var categoricalCrossentropy: Metric { LossMetric(CategoricalCrossentropy()) }
    /// Sparse categorical crossentropy of the outputs as a metric, logged as "sparse_categorical_crossentropy".
    public static var sparseCategoricalCrossentropy: Metric { LossMetric(SparseCategoricalCrossentropy()) }
    /// `KLDivergenceMetric()`, logged as "kl_divergence".
    public static var klDivergence: Metric { KLDivergenceMetric() }
    /// `AUC()`: ROC, 200 thresholds, interpolation.
    public static var auc: Metric { AUC(validNumThresholds: 200, name: "auc") }
    /// `AUC(numThresholds:)`; throws unless `numThresholds` > 1.
    public static func auc(numThresholds: Int) throws -> Metric { try AUC(numThresholds: numThresholds) }

}

/// Parsing of Keras's metric strings.
extension Metric {
    /// The metrics `named(_:loss:)` makes (each declares its Keras strings beside its class).
    static let kerasTypes: [any KerasNamedMetric.Type] = [
        AutoAccuracy.self, SparseCategoricalAccuracy.self, CategoricalAccuracy.self, BinaryAccuracy.self,
        TopKCategoricalAccuracy.self, SparseTopKCategoricalAccuracy.self, MeanSquaredErrorMetric.self, MeanAbsoluteErrorMetric.self,
        Precision.self, Recall.self, AUC.self, LossMetric.self, KLDivergenceMetric.self, MeanAbsolutePercentageErrorMetric.self,
        MeanSquaredLogarithmicErrorMetric.self, PoissonMetric.self,
    ]

    /// The Keras strings `named(_:loss:)` accepts.
    public static let validNames = kerasTypes.flatMap { $0.kerasNames }

    /// The metric for a Keras string, logged under that string as Keras 3 does (so "mse" logs as "mse").
    /// `"accuracy"`/`"acc"` give an `AutoAccuracy` to resolve once shapes are known; `loss` is accepted
    /// for the caller's convenience but, as in Keras 3, does not affect the choice. Throws an error listing
    /// the valid names for anything else.
    public static func named(_ string: String, loss: Loss? = nil) throws -> Metric {
        let key = string.lowercased()
        guard let type = kerasTypes.first(where: { $0.kerasNames.contains(key) }) else {
            throw KestrelError.invalidArgument(
                "Unknown metric '\(string)'. Valid names: \(validNames.map { "\"\($0)\"" }.joined(separator: ", ")); or pass a metric object such as .topKCategoricalAccuracy(k: 3).")
        }
        let metric = try type.kerasMetric(name: key)
        metric.name = string
        return metric
    }
}
