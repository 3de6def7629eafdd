import Foundation

/// The planning of a search made of training runs (`Doctor`'s remedies, `Tuner`'s trials): it counts
/// the runs done and their epochs, measures the wall-clock seconds they took, estimates what the next
/// runs will cost, and says why a unit of runs no longer fits the `DoctorBudget`.
///
/// The cost of a run is estimated from the seconds per epoch so far (parallel runs overlap, so it is
/// the effective cost) times the run's epochs; before the first run there is no estimate and only the
/// run limit applies.
public struct SearchPlanner: Sendable {
    /// The search's limit.
    public let budget: DoctorBudget
    /// Training runs finished so far.
    public private(set) var runsDone = 0
    /// Epochs (as planned, before any early stop) of the runs finished so far.
    public private(set) var epochsDone = 0
    private let start: ContinuousClock.Instant

    /// A planner for `budget`, its clock starting now.
    public init(budget: DoctorBudget) {
        self.budget = budget
        self.start = ContinuousClock.now
    }

    /// Seconds since the planner was made.
    public var elapsedSeconds: Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Counts one finished run of `epochs` epochs.
    public mutating func recordRun(epochs: Int) {
        runsDone += 1
        epochsDone += max(1, epochs)
    }

    /// Wall-clock seconds per epoch so far; nil before the first run.
    public var secondsPerEpoch: Double? { epochsDone == 0 ? nil : elapsedSeconds / Double(epochsDone) }

    /// The estimated seconds of `runs` runs of `epochs` epochs each; nil before the first run.
    public func cost(runs: Int, epochs: Int) -> Double? {
        secondsPerEpoch.map { $0 * Double(max(1, epochs)) * Double(max(0, runs)) }
    }

    /// Why `runs` more runs of `epochs` epochs do not fit beside `plannedRuns` runs and
    /// `plannedSeconds` seconds already planned but not yet trained; nil when they fit.
    public func refusal(runs: Int, epochs: Int, plannedRuns: Int = 0, plannedSeconds: Double = 0) -> String? {
        if let limit = budget.runs, runsDone + plannedRuns + runs > limit {
            return "the budget of \(limit) runs is spent"
        }
        if let limit = budget.seconds, let seconds = cost(runs: runs, epochs: epochs), elapsedSeconds + plannedSeconds + seconds > limit {
            return String(format: "its runs would pass the %.0f s budget", limit)
        }
        return nil
    }

    /// Whether the budget has room for fewer than two more units of `runs` runs of `epochs` epochs
    /// (the moment `Doctor` puts the best two remedies together); false without a limit.
    public func roomForOneUnitOnly(runs: Int, epochs: Int) -> Bool {
        if let limit = budget.runs { return limit - runsDone < 2 * runs }
        if let limit = budget.seconds, let seconds = cost(runs: runs, epochs: epochs) { return limit - elapsedSeconds < 2 * seconds }
        return false
    }

    /// How many units of `runsPerUnit` runs go in one wave on a runner of `parallelism`, so that
    /// no worker idles: parallelism / gcd(runsPerUnit, parallelism).
    public static func unitsPerWave(runsPerUnit: Int, parallelism: Int) -> Int {
        let width = max(1, parallelism)
        return width / greatestCommonDivisor(runsPerUnit, width)
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (max(1, a), max(1, b))
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
