import Foundation

/// Progress over several training runs (seeds, variants): which run is going ("Run 2/5") and the
/// overall ETA from the mean duration of the runs finished so far — or, for runs of unequal size
/// (`init(work:)`, e.g. their epochs), from the seconds per unit of work done so far. Each run keeps
/// Keras's own progress line; this adds one line before it.
public struct RunProgress: Sendable {
    /// How many runs there are in all.
    public let total: Int
    /// Runs finished.
    public private(set) var finished = 0
    private var secondsSpent = 0.0
    private var runStart: ContinuousClock.Instant?
    /// Each run's share of the work (all 1 for `init(total:)`).
    private let work: [Double]

    /// Progress over `total` runs of the same size.
    public init(total: Int) {
        self.total = max(total, 1)
        work = Array(repeating: 1, count: max(total, 1))
    }

    /// Progress over runs of different sizes: `work[i]` is run i's size in any unit (its epochs, epochs × samples…).
    /// Non-positive or non-finite sizes count as 1.
    public init(work: [Double]) {
        total = max(work.count, 1)
        self.work = work.isEmpty ? [1] : work.map { $0 > 0 && $0.isFinite ? $0 : 1 }
    }

    /// The mean seconds of a finished run (nil before the first one ends).
    public var secondsPerRun: Double? { finished > 0 ? secondsSpent / Double(finished) : nil }

    /// The estimated seconds until all runs are done (nil before the first one ends): the seconds per unit of
    /// work so far times the work left.
    public var remainingSeconds: Double? {
        guard finished > 0 else { return nil }
        let done = work.prefix(finished).reduce(0, +), left = work.dropFirst(finished).reduce(0, +)
        return done > 0 ? secondsSpent / done * left : nil
    }

    /// Marks the start of the next run and returns its line, e.g. "Run 2/5 (seed 43) · 1 done in 12.3 s · overall ETA 49 s".
    public mutating func begin(_ label: String = "") -> String {
        runStart = .now
        var line = "Run \(min(finished + 1, total))/\(total)" + (label.isEmpty ? "" : " (\(label))")
        if let secondsPerRun, let remainingSeconds {
            line += String(format: " · %d done in %.1f s (%.1f s each) · overall ETA %@", finished, secondsSpent, secondsPerRun,
                           Self.duration(remainingSeconds))
        }
        return line
    }

    /// Marks the end of the current run (its duration measured since `begin`, or `seconds` when given).
    public mutating func end(seconds: Double? = nil) {
        let measured = runStart.map { start -> Double in
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        secondsSpent += seconds ?? measured ?? 0
        finished = min(finished + 1, total)
        runStart = nil
    }

    /// "45 s", "3 min 05 s", "1 h 02 min".
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds.isFinite ? seconds : 0).rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }
}
