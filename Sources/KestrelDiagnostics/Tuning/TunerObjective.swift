import Foundation

/// What a search maximises or minimises (Keras Tuner's `Objective(name, direction)`): a logged key
/// such as `val_accuracy` (the default) or `val_loss`. A trial's score is the best epoch's value of
/// each run, averaged over the runs (seeds), as Keras Tuner averages its executions.
public struct TunerObjective: Sendable, Equatable, CustomStringConvertible {
    /// The logged key.
    public let name: String
    /// Whether larger is better.
    public let maximize: Bool

    /// `name` with its direction; nil takes it from the name as Keras Tuner does (accuracy, auc,
    /// precision, recall: max; loss, error, crossentropy: min), and throws when the name says neither.
    public init(_ name: String, maximize: Bool? = nil) throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TunerError("The objective is empty; name a logged metric such as val_accuracy or val_loss.") }
        self.name = trimmed
        if let maximize {
            self.maximize = maximize
        } else if ["accuracy", "auc", "precision", "recall"].contains(where: { trimmed.hasSuffix($0) }) {
            self.maximize = true
        } else if ["loss", "error", "crossentropy"].contains(where: { trimmed.hasSuffix($0) }) {
            self.maximize = false
        } else {
            throw TunerError("The objective '\(trimmed)' does not say whether larger is better; write it as \(trimmed):max or \(trimmed):min.")
        }
    }

    /// Reads `NAME` or `NAME:max` / `NAME:min`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: try self.init(parts[0])
        case 2 where ["max", "min"].contains(parts[1].lowercased()):
            try self.init(parts[0], maximize: parts[1].lowercased() == "max")
        default:
            throw TunerError("The objective '\(text)' is not NAME or NAME:max / NAME:min (e.g. val_accuracy, val_loss:min).")
        }
    }

    /// Whether `candidate` is better than `incumbent` (a NaN is never better; anything beats a NaN).
    public func isBetter(_ candidate: Double, than incumbent: Double) -> Bool {
        if candidate.isNaN { return false }
        if incumbent.isNaN { return true }
        return maximize ? candidate > incumbent : candidate < incumbent
    }

    /// Keras Tuner's spelling: `Objective(name="val_accuracy", direction="max")`.
    public var description: String { "Objective(name=\"\(name)\", direction=\"\(maximize ? "max" : "min")\")" }
}
