import Foundation
import Kestrel

/// What a search found: every trial in the order it ran, the best one and its model (the weights
/// of the best epoch of its first seed's run, as Keras Tuner's `get_best_models` loads them).
public struct TunerResult: @unchecked Sendable {
    /// What was optimised.
    public let objective: TunerObjective
    /// Every trial, in the order it ran.
    public let trials: [TunerTrial]
    /// The index of the best trial in `trials` (the earliest among equal scores).
    public let bestIndex: Int
    /// The best trial's model, compiled, with its best epoch's weights.
    public let bestModel: Sequential
    /// The seeds every trial ran with.
    public let seeds: [UInt64]
    /// Seconds the search took.
    public let seconds: Double
    /// Why the search ended before its plan (the budget, an exhausted space), if it did.
    public let stopReason: String?

    /// The best trial.
    public var bestTrial: TunerTrial { trials[bestIndex] }

    /// The trials from best to worst (equal scores in the order they ran; NaN last).
    public var ranked: [TunerTrial] {
        trials.enumerated().sorted { left, right in
            if objective.isBetter(left.element.score, than: right.element.score) { return true }
            if objective.isBetter(right.element.score, than: left.element.score) { return false }
            return left.offset < right.offset
        }.map(\.element)
    }

    /// Keras Tuner's `results_summary(num_trials)`: the best trials, each with its hyper-parameters
    /// and score; `directory` is shown as Keras Tuner shows its project folder.
    public func summary(numTrials: Int = 10, directory: String? = nil) -> String {
        var lines = ["Results summary"]
        if let directory { lines.append("Results in \(directory)") }
        lines.append("Showing \(min(max(0, numTrials), trials.count)) best trials")
        lines.append(objective.description)
        for trial in ranked.prefix(max(0, numTrials)) {
            lines += ["", "Trial \(trial.id) summary", "Hyperparameters:"] + trial.summaryLines + ["Score: \(trial.score)"]
        }
        return lines.joined(separator: "\n")
    }

    /// One row per trial, in the order they ran: trial, each hyper-parameter, epochs, score; the
    /// best marked with `*`.
    public var table: String {
        let names = trials.first.map { $0.values.map(\.name) } ?? []
        let header = ["trial"] + names + ["epochs", objective.name]
        let rows = trials.enumerated().map { offset, trial in
            [trial.id + (offset == bestIndex ? " *" : "")] + trial.values.map(\.value.description)
                + [trial.initialEpoch > 0 ? "\(trial.initialEpoch)→\(trial.epochs)" : "\(trial.epochs)", String(format: "%.4f", trial.score)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// The best hyper-parameters as one line: `units=480, rate=0.25, learning_rate=0.001`.
    public var bestValuesText: String {
        bestTrial.values.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
    }
}
