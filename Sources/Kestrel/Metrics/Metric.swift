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

    /// The concrete metric to use for `loss` and these label/prediction shapes. Plain metrics return
    /// themselves; the `"accuracy"` placeholder returns the sparse, categorical or binary accuracy as
    /// Keras chooses it.
    open func resolved(for loss: Loss, yTrueShape: [Int], yPredShape: [Int]) -> Metric { self }
}
