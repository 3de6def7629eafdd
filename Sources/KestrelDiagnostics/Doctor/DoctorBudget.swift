/// How much training `Doctor` may do: a number of runs, a wall-clock time, or both (the search
/// stops before a remedy whose runs would not fit).
public struct DoctorBudget: Sendable, Equatable {
    /// At most this many training runs in all (baseline included); nil = no limit.
    public var runs: Int?
    /// At most this many seconds of training in all; nil = no limit.
    public var seconds: Double?

    /// A budget with the given limits.
    public init(runs: Int? = nil, seconds: Double? = nil) {
        self.runs = runs
        self.seconds = seconds
    }

    /// Parses `--budget`: `10m`, `90s`, `1h` (time) or a whole number (runs).
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("h", 3600), ("m", 60), ("s", 1)]
        if let unit = units.first(where: { trimmed.hasSuffix($0.0) }), let value = Double(trimmed.dropLast()), value > 0, value.isFinite {
            self.init(seconds: value * unit.1)
        } else if let runs = Int(trimmed), runs >= 1 {
            self.init(runs: runs)
        } else {
            throw TrainingRecipeError(message: "--budget '\(text)' is neither a time (10m, 90s, 1h) nor a number of runs (e.g. 12).")
        }
    }
}
