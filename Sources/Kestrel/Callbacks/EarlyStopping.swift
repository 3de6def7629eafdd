import Foundation

/// Stops training when a monitored metric has stopped improving (Keras's `EarlyStopping`).
///
/// An epoch improves when the value beats the best so far by more than `minDelta`. After
/// `patience` epochs without improvement training stops. With `restoreBestWeights` the weights of
/// the best epoch are put back at the end of training, also when training ran to its last epoch.
public final class EarlyStopping: MonitorCallback, @unchecked Sendable {
    /// Epochs without improvement after which training stops.
    public let patience: Int
    /// 1 prints when training stops and when the best weights are restored.
    public let verbose: Int
    /// A value the monitored quantity must beat before the patience counter resets.
    public let baseline: Double?
    /// Whether the weights of the best epoch are put back at the end of training.
    public let restoreBestWeights: Bool
    /// Epochs of warm-up before improvements are watched.
    public let startFromEpoch: Int
    /// The epoch (0-based) at which training was stopped, or 0 if it was not.
    public private(set) var stoppedEpoch = 0
    /// The best epoch (0-based) seen.
    public private(set) var bestEpoch = 0
    private var wait = 0
    private var bestWeights: [Tensor]?
    private var missingMonitor = MissingMonitorWarning()
    /// The warning given in the last `fit` when `monitor` was not among the logged metrics (nil when it was).
    public var missingMonitorWarning: String? { missingMonitor.message }

    /// Makes the callback with Keras's defaults.
    public init(monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0, verbose: Int = 0,
                mode: MonitorMode = .auto, baseline: Double? = nil, restoreBestWeights: Bool = false,
                startFromEpoch: Int = 0) {
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restoreBestWeights = restoreBestWeights
        self.startFromEpoch = startFromEpoch
        super.init(monitor: monitor, mode: mode, minDelta: minDelta)
        requireArgument(minDelta.isFinite, "minDelta", mustBe: "a finite number", got: minDelta)
        requireArgument(patience >= 0, "patience", mustBe: "≥ 0", got: patience)
        requireArgument(verbose >= 0, "verbose", mustBe: "≥ 0", got: verbose)
        requireArgument(startFromEpoch >= 0, "startFromEpoch", mustBe: "≥ 0", got: startFromEpoch)
        if let baseline { requireArgument(baseline.isFinite, "baseline", mustBe: "a finite number (or nil)", got: baseline) }
    }

    /// Resets the counters and the best value.
    public override func onTrainBegin(logs: inout [String: Double]) {
        wait = 0
        stoppedEpoch = 0
        best = nil
        bestWeights = nil
        bestEpoch = 0
        missingMonitor.reset()
    }

    /// Compares the monitored value with the best so far and stops training after `patience` epochs without improvement; warns once when the value is not logged.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        guard let current = logs[monitor] else {
            missingMonitor.warn("Early stopping", monitor: monitor, logs: logs)
            return
        }
        guard epoch >= startFromEpoch else { return }
        if restoreBestWeights && bestWeights == nil { bestWeights = model?.getWeights() }
        wait += 1
        if try isImprovement(current, over: best) {
            best = current
            bestEpoch = epoch
            if restoreBestWeights { bestWeights = model?.getWeights() }
            if try baseline == nil || isImprovement(current, over: baseline) { wait = 0 }
            return
        }
        if wait >= patience && epoch > 0 {
            stoppedEpoch = epoch
            model?.stopTraining = true
        }
    }

    /// wait, best, best epoch, stopped epoch and (with restoreBestWeights) the best weights.
    public override func stateDictionary() throws -> [String: StateValue] {
        ["wait": .int(wait), "stoppedEpoch": .int(stoppedEpoch), "bestEpoch": .int(bestEpoch),
         "best": .number(best), "bestWeights": bestWeights.map(StateValue.tensors) ?? .null]
    }

    /// Continues counting from a saved state.
    public override func restoreState(_ state: [String: StateValue]) throws {
        wait = try state.counter("wait")
        stoppedEpoch = try state.counter("stoppedEpoch")
        bestEpoch = try state.counter("bestEpoch")
        best = try state.optionalNumber("best")
        if let saved = state["bestWeights"], saved != .null { bestWeights = try saved.tensorsValue(key: "bestWeights") } else { bestWeights = nil }
    }

    /// Prints the stopping epoch (with `verbose`) and restores the best weights (with `restoreBestWeights`).
    public override func onTrainEnd(logs: inout [String: Double]) {
        if stoppedEpoch > 0 && verbose > 0 { print("Epoch \(stoppedEpoch + 1): early stopping") }
        if restoreBestWeights, let bestWeights {
            if verbose > 0 { print("Restoring model weights from the end of the best epoch: \(bestEpoch + 1).") }
            try? model?.setWeights(bestWeights)
        }
    }
}
