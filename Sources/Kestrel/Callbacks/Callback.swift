/// The base of every callback: hooks called by `fit`, `evaluate` and `predict`, all doing nothing
/// by default (Keras's `keras.callbacks.Callback`). Override the ones you need; set
/// `model?.stopTraining = true` to end `fit` after the current epoch.
///
/// Hooks that receive `logs` may add entries (as ReduceLROnPlateau adds `learning_rate`); callbacks
/// run in order, the built-in progress bar first and `History` last.
open class Callback: @unchecked Sendable {
    /// The model being trained; set by `fit`/`evaluate`/`predict` before the first hook.
    public weak var model: Model?
    /// What `fit` was asked to do: epochs, steps, verbosity.
    public var params: TrainingParameters = TrainingParameters()

    public init() {}

    open func onTrainBegin(logs: inout [String: Double]) {}
    open func onTrainEnd(logs: inout [String: Double]) {}
    open func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) {}
    open func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {}
    open func onTrainBatchBegin(_ batch: Int, logs: inout [String: Double]) {}
    open func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) {}
    open func onTestBegin(logs: inout [String: Double]) {}
    open func onTestEnd(logs: inout [String: Double]) {}
    open func onTestBatchBegin(_ batch: Int, logs: inout [String: Double]) {}
    open func onTestBatchEnd(_ batch: Int, logs: inout [String: Double]) {}
    open func onPredictBegin(logs: inout [String: Double]) {}
    open func onPredictEnd(logs: inout [String: Double]) {}
    open func onPredictBatchBegin(_ batch: Int, logs: inout [String: Double]) {}
    open func onPredictBatchEnd(_ batch: Int, logs: inout [String: Double]) {}
}

/// What a training run was asked to do (Keras's `callback.params`).
public struct TrainingParameters: Sendable, Equatable {
    /// Total epochs requested.
    public var epochs = 0
    /// Batches per epoch.
    public var steps = 0
    /// 0 silent, 1 progress bar, 2 one line per epoch.
    public var verbose = 0
}
