/// What Keras's `EarlyStopping` would have done on a finished log.
///
/// Keras's rule (keras/src/callbacks/early_stopping.py, reimplemented): after each epoch
/// `wait += 1`; if the monitored value improved on the best by more than `min_delta`, it
/// becomes the best and `wait = 0`; otherwise, once `wait >= patience` (and epoch > 0),
/// training stops at that epoch. `restore_best_weights` then returns to the best epoch.
public struct EarlyStoppingSimulation: Sendable, Codable, Equatable {
    /// The monitored metric.
    public var monitor: String
    /// The patience simulated.
    public var patience: Int
    /// The `min_delta` simulated.
    public var minDelta: Double
    /// Row index (0-based) of the epoch where training would have stopped; nil if it would
    /// have run to the end of the log.
    public var stoppedEpoch: Int?
    /// Row index (0-based) of the best epoch seen up to the stop (what `restore_best_weights` restores).
    public var bestEpoch: Int?
    /// The monitored value at `bestEpoch`.
    public var bestValue: Double?
    /// Epochs that would not have been run.
    public var epochsSaved: Int

    /// Runs the rule over `values` (one per epoch).
    public static func simulate(values: [Double], monitor: String, orientation: MetricOrientation,
                                patience: Int, minDelta: Double = 0) -> EarlyStoppingSimulation {
        var best: Double?
        var bestEpoch: Int?
        var wait = 0
        var stopped: Int?
        for (epoch, value) in values.enumerated() {
            wait += 1
            if let reference = best {
                if orientation.isImprovement(value, over: reference, minDelta: abs(minDelta)) {
                    best = value
                    bestEpoch = epoch
                    wait = 0
                    continue
                }
            } else if !value.isNaN {
                best = value
                bestEpoch = epoch
                wait = 0
                continue
            }
            if wait >= patience && epoch > 0 {
                stopped = epoch
                break
            }
        }
        let saved = stopped.map { values.count - 1 - $0 } ?? 0
        return EarlyStoppingSimulation(monitor: monitor, patience: patience, minDelta: minDelta,
                                       stoppedEpoch: stopped, bestEpoch: bestEpoch, bestValue: best,
                                       epochsSaved: saved)
    }
}
