/// The base of every metric: accumulates state over batches (`updateState`) and reports one number
/// (`result`), like Keras's stateful metrics. `resetState` starts a new epoch.
open class Metric: @unchecked Sendable {
    /// The key under which the value is logged ("accuracy", "precision"…).
    public var name: String

    /// Makes a metric logged under `name`.
    public init(name: String) { self.name = name }

    /// Adds one batch.
    open func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {}

    /// The value over everything seen since the last reset.
    open func result() -> Double { 0 }

    /// Forgets everything seen.
    open func resetState() {}

    /// The metric to use for a model trained with `loss` on targets and predictions of these shapes.
    ///
    /// Concrete metrics return themselves. The `"accuracy"` placeholder (`AutoAccuracy`) returns a new
    /// `BinaryAccuracy`, `SparseCategoricalAccuracy` or `CategoricalAccuracy` chosen exactly as Keras 3's
    /// `compile` does, still logged as "accuracy". The trainer calls this once per metric when it first
    /// sees a batch (or at `compile` when shapes are known).
    open func resolved(for loss: Loss?, yTrueShape: [Int], yPredShape: [Int]) -> Metric { self }
}
