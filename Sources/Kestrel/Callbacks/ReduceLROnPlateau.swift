import Foundation

/// Multiplies the learning rate by `factor` when a monitored metric has not improved for
/// `patience` epochs (Keras's `ReduceLROnPlateau`). Logs the learning rate as `learning_rate`.
public final class ReduceLROnPlateau: MonitorCallback, @unchecked Sendable {
    /// The factor the learning rate is multiplied by (below 1).
    public let factor: Float
    /// Epochs without improvement before the learning rate is reduced.
    public let patience: Int
    /// 1 prints each reduction.
    public let verbose: Int
    /// Epochs after a reduction during which no further reduction is made.
    public let cooldown: Int
    /// The learning rate is never reduced below this.
    public let minLR: Float
    private var wait = 0
    private var cooldownCounter = 0
    private var missingMonitor = MissingMonitorWarning()
    /// The warning given in the last `fit` when `monitor` was not among the logged metrics (nil when it was).
    public var missingMonitorWarning: String? { missingMonitor.message }

    /// Makes the callback with Keras's defaults; `factor` must be below 1.
    public init(monitor: String = "val_loss", factor: Float = 0.1, patience: Int = 10, verbose: Int = 0,
                mode: MonitorMode = .auto, minDelta: Double = 1e-4, cooldown: Int = 0, minLR: Float = 0) throws {
        guard factor < 1 else {
            throw KestrelError.invalidArgument("ReduceLROnPlateau does not support a factor ≥ 1 (got \(factor)); use e.g. 0.5.")
        }
        guard factor > 0 else {
            throw KestrelError.invalidArgument("ReduceLROnPlateau: factor must be in (0, 1), got \(factor); use e.g. 0.5.")
        }
        for (value, label) in [(patience, "patience"), (cooldown, "cooldown"), (verbose, "verbose")] where value < 0 {
            throw KestrelError.invalidArgument("ReduceLROnPlateau: \(label) must be ≥ 0, got \(value).")
        }
        guard minLR.isFinite, minLR >= 0 else {
            throw KestrelError.invalidArgument("ReduceLROnPlateau: minLR must be a finite number ≥ 0, got \(minLR).")
        }
        guard minDelta.isFinite else {
            throw KestrelError.invalidArgument("ReduceLROnPlateau: minDelta must be a finite number, got \(minDelta).")
        }
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.minLR = minLR
        super.init(monitor: monitor, mode: mode, minDelta: minDelta)
    }

    /// Resets the best value and the counters.
    public override func onTrainBegin(logs: inout [String: Double]) {
        best = nil
        wait = 0
        cooldownCounter = 0
        missingMonitor.reset()
    }

    /// best, wait and the cooldown counter.
    public override func stateDictionary() throws -> [String: StateValue] {
        ["best": .number(best), "wait": .int(wait), "cooldownCounter": .int(cooldownCounter)]
    }

    /// Continues from a saved state.
    public override func restoreState(_ state: [String: StateValue]) throws {
        best = try state.optionalNumber("best")
        wait = try state.counter("wait")
        cooldownCounter = try state.counter("cooldownCounter")
    }

    /// Multiplies the rate by `factor` (not below `minLR`) unless it is already at `minLR`, with Keras's
    /// arithmetic: the float32 rate widened to a double, times the factor as written, stored back as float32.
    /// Prints the new rate as Keras does (the double, e.g. `0.00010000000474974513`). Throws for an optimizer
    /// driven by a learning-rate schedule.
    private func reduceLearningRate(of optimizer: Optimizer, epoch: Int) throws -> Bool {
        let old = Double(optimizer.learningRate)
        guard old > Double(minLR) else { return false }
        let new = Swift.max(old * Self.decimalValue(factor), Self.decimalValue(minLR))
        try optimizer.setLearningRate(Float(new))
        if verbose > 0 { print(Self.reductionMessage(epoch: epoch, newRate: new)) }
        return true
    }

    /// Keras's message for a reduction after `epoch` (0-based): the new rate as Python prints the double.
    static func reductionMessage(epoch: Int, newRate: Double) -> String {
        "\nEpoch \(epoch + 1): ReduceLROnPlateau reducing learning rate to \(PythonFloatText.repr(newRate))."
    }

    /// The double a Keras user's literal stands for: the shortest decimal of the float (0.1, not 0.100000001…).
    static func decimalValue(_ value: Float) -> Double { Double(value.description) ?? Double(value) }

    /// Logs `learning_rate` and reduces it after `patience` epochs without improvement, outside the cooldown; warns once when the value is not logged.
    /// Throws when it must reduce the rate of an optimizer driven by a learning-rate schedule (Keras raises a TypeError there).
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        guard let optimizer = model?.optimizer else { return }
        logs["learning_rate"] = Double(optimizer.learningRate)
        guard let current = logs[monitor] else {
            missingMonitor.warn("Learning rate reduction is", monitor: monitor, logs: logs)
            return
        }
        let inCooldown = cooldownCounter > 0
        if inCooldown {
            cooldownCounter -= 1
            wait = 0
        }
        if try isImprovement(current, over: best) {
            best = current
            wait = 0
        } else if cooldownCounter <= 0 {
            wait += 1
            if wait >= patience, try reduceLearningRate(of: optimizer, epoch: epoch) {
                cooldownCounter = cooldown
                wait = 0
            }
        }
    }
}
