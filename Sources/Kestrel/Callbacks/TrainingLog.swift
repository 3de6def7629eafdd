/// A training log: one row per epoch, one named series per metric — the one table that `History`
/// records into and that every diagnosis, chart and history file reads.
///
/// It holds what Keras's `History` holds (`history.history`: metric name → values) plus the epoch
/// numbers, with every series aligned to the rows. A value that was not logged in some epoch
/// (validation with `validationFreq: 2`, a metric first seen later) is `nil`; a logged NaN (a
/// diverged loss) stays `Double.nan`, so the two are told apart. Epochs are 0-based as Keras stores
/// them; text shown to people says `epoch + 1`, as Keras prints them.
public struct TrainingLog: Sendable, Equatable, Codable {
    /// The 0-based epoch number of each row.
    public private(set) var epochs: [Int]
    /// Metric name → one entry per row, nil where the metric was not logged.
    public private(set) var series: [String: [Double?]]
    /// What the run was trained and validated on, when recorded (`fit` on arrays; Kestrel's history JSON).
    public var data: DataFingerprint?

    /// An empty log, ready for `append(epoch:logs:)`.
    public init() {
        epochs = []
        series = [:]
    }

    /// A log from metric series of equal length, nil where a metric was not logged; epochs
    /// `0..<count` unless given.
    /// - Throws: `TrainingLogError.unequalLengths` when the series differ in length,
    ///   `TrainingLogError.epochCountMismatch` when `epochs` has another length.
    public init(series: [String: [Double?]], epochs: [Int]? = nil) throws {
        let lengths = Set(series.values.map(\.count))
        if lengths.count > 1 {
            let description = series.keys.sorted().map { "\($0): \(series[$0]?.count ?? 0)" }.joined(separator: ", ")
            throw TrainingLogError.unequalLengths(description)
        }
        let count = lengths.first ?? (epochs?.count ?? 0)
        if let epochs, epochs.count != count {
            throw TrainingLogError.epochCountMismatch(epochs: epochs.count, values: count)
        }
        self.epochs = epochs ?? Array(0..<count)
        self.series = series
    }

    /// A log in which every metric was logged at every row (a NaN is a logged NaN).
    /// - Throws: as `init(series:epochs:)` with optional values.
    public init(series: [String: [Double]], epochs: [Int]? = nil) throws {
        try self.init(series: series.mapValues { $0.map(Optional.some) }, epochs: epochs)
    }

    /// The epoch numbers a log file may hold (0-based, as Keras counts them).
    public static let validEpochs = 0...1_000_000_000

    /// The number of epochs (rows) in the log.
    public var count: Int { epochs.count }

    /// Whether the log has no epochs.
    public var isEmpty: Bool { epochs.isEmpty }

    /// The metric names, sorted alphabetically (Keras's CSVLogger column order).
    public var metricNames: [String] { series.keys.sorted() }

    /// The numbers the curve analysis reads: `metric`'s value at every row, NaN where it was not
    /// logged or was logged as NaN (the analysis skips both alike); nil when the log has no such
    /// metric or not a single number of it. `series[metric]` keeps the two apart.
    public func values(_ metric: String) -> [Double]? {
        guard let column = series[metric], column.contains(where: { $0.map { !$0.isNaN } ?? false }) else { return nil }
        return column.map { $0 ?? .nan }
    }

    /// Whether `metric` has at least one logged value that is a number (not NaN).
    public func contains(_ metric: String) -> Bool { values(metric) != nil }

    /// Appends one epoch, as a Keras callback's `on_epoch_end(epoch, logs)` sees it. A metric seen
    /// for the first time is nil at the earlier rows; a metric missing from `logs` is nil at this row.
    public mutating func append(epoch: Int, logs: [String: Double]) {
        let previousCount = epochs.count
        epochs.append(epoch)
        for name in logs.keys where series[name] == nil {
            series[name] = Array(repeating: nil, count: previousCount)
        }
        for name in series.keys {
            series[name, default: []].append(logs[name])
        }
    }

    /// The log cut to its first `count` epochs (all of it when `count` is larger).
    public func prefix(_ count: Int) -> TrainingLog {
        var copy = self
        let kept = max(0, min(count, epochs.count))
        copy.epochs = Array(epochs.prefix(kept))
        copy.series = series.mapValues { Array($0.prefix(kept)) }
        return copy
    }
}
