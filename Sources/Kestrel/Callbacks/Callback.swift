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

    /// Problems with the callback's arguments or with what it was asked to do, one sentence each.
    /// Initialisers and hooks record them (hooks cannot throw); `fit`, `evaluate` and `predict` throw
    /// the first one before training starts or right after the hook that recorded it.
    public private(set) var argumentProblems: [String] = []

    public init() {}

    /// Records a problem unless `isValid`: "EarlyStopping: patience must be ≥ 0, got -1."
    public func requireArgument(_ isValid: Bool, _ argument: String, mustBe validRange: String, got value: Any) {
        guard !isValid else { return }
        reportProblem("\(String(describing: type(of: self))): \(argument) must be \(validRange), got \(value).")
    }

    /// Records a problem sentence; `fit` throws it as a `KestrelError.invalidArgument` after the current hook.
    public func reportProblem(_ sentence: String) { argumentProblems.append(sentence) }

    /// Throws the first recorded problem, if any.
    public func validateArguments() throws {
        if let problem = argumentProblems.first { throw KestrelError.invalidArgument(problem) }
    }

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
