/// The base of every callback: hooks called by `fit`, `evaluate` and `predict`, all doing nothing
/// by default (Keras's `keras.callbacks.Callback`). Override the ones you need; set
/// `model?.stopTraining = true` to end `fit` after the current epoch.
///
/// Hooks that receive `logs` may add entries (as ReduceLROnPlateau adds `learning_rate`); callbacks
/// run in order, the built-in progress bar first and `History` last. Hooks may throw: the error ends
/// `fit`/`evaluate`/`predict` as a `CallbackError` naming the callback's class and the hook. In
/// `onTrainBegin` a callback may move the first epoch (`model?.trainingSession?.initialEpoch`).
///
/// A callback with state that matters for resuming (EarlyStopping's best and wait…) overrides
/// `stateDictionary()` and `restoreState(_:)`; `BackupAndRestore` saves and restores them.
open class Callback: @unchecked Sendable {
    /// The model being trained; set by `fit`/`evaluate`/`predict` before the first hook.
    public weak var model: Model?
    /// What `fit` was asked to do: epochs, steps, verbosity.
    public var params: TrainingParameters = TrainingParameters()

    /// Problems with the callback's arguments or with what it was asked to do, one sentence each.
    /// Initialisers record them, since a callback's initialiser does not throw (hooks may also record
    /// them, or throw directly); `fit`, `evaluate` and `predict` throw the first one before training
    /// starts or right after the hook that recorded it.
    public private(set) var argumentProblems: [String] = []

    /// A callback with no model yet; `fit` sets `model` before the first hook.
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

    /// The state this callback needs to continue after a resume, as JSON-like values (empty by default).
    /// Called by `BackupAndRestore` after the hooks of an epoch (or batch) have run.
    open func stateDictionary() throws -> [String: StateValue] { [:] }

    /// Puts back what `stateDictionary()` returned; called after `onTrainBegin` of a resumed run.
    /// Throw a `KestrelError` when the saved state does not fit this callback.
    open func restoreState(_ state: [String: StateValue]) throws {}

    /// Keras's `on_train_begin`.
    open func onTrainBegin(logs: inout [String: Double]) throws {}
    /// Keras's `on_train_end`.
    open func onTrainEnd(logs: inout [String: Double]) throws {}
    /// Keras's `on_epoch_begin`.
    open func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {}
    /// Keras's `on_epoch_end`.
    open func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {}
    /// Keras's `on_train_batch_begin`.
    open func onTrainBatchBegin(_ batch: Int, logs: inout [String: Double]) throws {}
    /// Keras's `on_train_batch_end`.
    open func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {}
    /// Keras's `on_test_begin`.
    open func onTestBegin(logs: inout [String: Double]) throws {}
    /// Keras's `on_test_end`.
    open func onTestEnd(logs: inout [String: Double]) throws {}
    /// Keras's `on_test_batch_begin`.
    open func onTestBatchBegin(_ batch: Int, logs: inout [String: Double]) throws {}
    /// Keras's `on_test_batch_end`.
    open func onTestBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {}
    /// Keras's `on_predict_begin`.
    open func onPredictBegin(logs: inout [String: Double]) throws {}
    /// Keras's `on_predict_end`.
    open func onPredictEnd(logs: inout [String: Double]) throws {}
    /// Keras's `on_predict_batch_begin`.
    open func onPredictBatchBegin(_ batch: Int, logs: inout [String: Double]) throws {}
    /// Keras's `on_predict_batch_end`.
    open func onPredictBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {}
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

/// A callback's hook threw: says which callback and hook, and carries the original error.
public struct CallbackError: Error, CustomStringConvertible, @unchecked Sendable {
    /// The class of the callback that threw (e.g. "ModelCheckpoint").
    public let callback: String
    /// The hook that threw (e.g. "onEpochEnd").
    public let hook: String
    /// What the callback threw.
    public let underlying: Error

    /// Wraps `underlying` thrown by `callback`'s `hook`.
    public init(callback: String, hook: String, underlying: Error) {
        self.callback = callback
        self.hook = hook
        self.underlying = underlying
    }

    /// "Callback NAME failed in HOOK: the error".
    public var description: String { "Callback \(callback) failed in \(hook): \(underlying)" }
}
