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
    /// Keras's strings for each metric `named(_:loss:)` makes, and the metric with Keras's defaults logged as one of
    /// them: Keras's table of metric names and aliases, in the order error messages list them.
    static let kerasMetrics: [(names: [String], make: @Sendable (String) throws -> Metric)] = [
        (["accuracy", "acc"], { AutoAccuracy(name: $0) }),
        (["sparse_categorical_accuracy"], { SparseCategoricalAccuracy(name: $0) }),
        (["categorical_accuracy"], { CategoricalAccuracy(name: $0) }),
        (["binary_accuracy"], { BinaryAccuracy(name: $0) }),
        (["top_k_categorical_accuracy"], { TopKCategoricalAccuracy(name: $0) }),
        (["sparse_top_k_categorical_accuracy"], { SparseTopKCategoricalAccuracy(name: $0) }),
        (["mse", "mean_squared_error"], { MeanSquaredErrorMetric(name: $0) }),
        (["mae", "mean_absolute_error"], { MeanAbsoluteErrorMetric(name: $0) }),
        (["precision"], { Precision(name: $0) }),
        (["recall"], { Recall(name: $0) }),
        (["auc"], { try AUC(name: $0) }),
        (LossMetric.kerasNames, { try LossMetric.kerasMetric(name: $0) }),
        (["kl_divergence"], { KLDivergenceMetric(name: $0) }),
        (["mape", "mean_absolute_percentage_error"], { MeanAbsolutePercentageErrorMetric(name: $0) }),
        (["msle", "mean_squared_logarithmic_error"], { MeanSquaredLogarithmicErrorMetric(name: $0) }),
        (["poisson"], { PoissonMetric(name: $0) }),
    ]

    /// The Keras strings `named(_:loss:)` accepts.
    public static let validNames = kerasMetrics.flatMap(\.names)

    /// The metric for a Keras string, logged under that string as Keras 3 does (so "mse" logs as "mse").
    /// `"accuracy"`/`"acc"` give an `AutoAccuracy` to resolve once shapes are known; `loss` is accepted
    /// for the caller's convenience but, as in Keras 3, does not affect the choice. Throws an error listing
    /// the valid names for anything else.
    public static func named(_ string: String, loss: Loss? = nil) throws -> Metric {
        let key = string.lowercased()
        guard let entry = kerasMetrics.first(where: { $0.names.contains(key) }) else {
            throw KestrelError.invalidArgument(
                "Unknown metric '\(string)'. Valid names: \(validNames.map { "\"\($0)\"" }.joined(separator: ", ")); or pass a metric object such as .topKCategoricalAccuracy(k: 3).")
        }
        let metric = try entry.make(key)
        metric.name = string
        return metric
    }
}
