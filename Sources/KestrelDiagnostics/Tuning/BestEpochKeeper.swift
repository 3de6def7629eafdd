import Kestrel

/// Keeps the weights of the epoch with the best objective value of one run (Keras Tuner's
/// per-trial checkpoint), and that value.
final class BestEpochKeeper: Callback, @unchecked Sendable {
    let objective: TunerObjective
    private(set) var best = Double.nan
    private(set) var weights: [Tensor]?

    init(objective: TunerObjective) {
        self.objective = objective
        super.init()
    }

    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        guard let value = logs[objective.name] else {
            throw TunerError("The objective '\(objective.name)' is not logged; use one of \(logs.keys.sorted().joined(separator: ", ")).")
        }
        if weights == nil || objective.isBetter(value, than: best) {
            best = value
            weights = model?.getWeights()
        }
    }
}
