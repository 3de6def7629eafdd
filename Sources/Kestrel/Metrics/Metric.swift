/// The base of every metric: accumulates state over batches (`updateState`) and reports one number
/// (`result`), like Keras's stateful metrics. `resetState` starts a new epoch.
open class Metric: @unchecked Sendable {
    /// The key under which the value is logged ("accuracy", "precision"…).
    public var name: String

    /// Makes a metric logged under `name`.
    public init(name: String) { self.name = name }

    /// Adds one batch.
    open func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {}

    /// Keras's one-argument `metric.update_state(values)`, as a custom step's loop over `metrics` calls it
    /// for the loss tracker (`if metric.name == "loss" { try metric.updateState(loss) }`): a `Mean` adds the
    /// values; any other metric throws, asking for targets and predictions.
    open func updateState(_ values: Tensor, sampleWeight: Tensor? = nil) throws {
        throw KestrelError.invalidArgument(
            "Metric '\(name)' (\(type(of: self))) takes targets and predictions: call updateState(yTrue, yPred); only a Mean takes updateState(values).")
    }

    /// The value over everything seen since the last reset.
    open func result() -> Double { 0 }

    /// Forgets everything seen.
    open func resetState() {}

    /// Whether the metric rises (`.up`) or falls (`.down`) as the model improves; nil when it says nothing
    /// (as a plain `Mean`). Monitoring callbacks in `mode: .auto` follow it, as Keras's do.
    open var direction: MetricDirection? { nil }

    /// The accumulated state as numbers (for resuming an epoch part-way, `BackupAndRestore`).
    open var stateValues: [Double] { [] }

    /// Puts back what `stateValues` returned; throws when the count does not fit this metric.
    open func restoreStateValues(_ values: [Double]) throws {
        try Metric.checkStateCount(values, expected: stateValues.count, metric: name)
    }

    /// Throws a `KestrelError` naming `metric` unless `values` has `expected` entries.
    public static func checkStateCount(_ values: [Double], expected: Int, metric: String) throws {
        guard values.count == expected else {
            throw KestrelError.invalidData("Metric '\(metric)': a saved state needs \(expected) values, got \(values.count); the backup is from another model.")
        }
    }

    /// The metric to use for a model trained with `loss` on targets and predictions of these shapes.
    ///
    /// Concrete metrics return themselves. The `"accuracy"` placeholder (`AutoAccuracy`) returns a new
    /// `BinaryAccuracy`, `SparseCategoricalAccuracy` or `CategoricalAccuracy` chosen exactly as Keras 3's
    /// `compile` does, still logged as "accuracy". The trainer calls this once per metric when it first
    /// sees a batch (or at `compile` when shapes are known).
    open func resolved(for loss: Loss?, yTrueShape: [Int], yPredShape: [Int]) -> Metric { self }
}
