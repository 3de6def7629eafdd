/// A training log: one row per epoch, one named series per metric.
///
/// This is the plain data every diagnosis starts from. It holds what Keras's `History`
/// holds (`history.history`: metric name → one value per epoch) plus the epoch numbers.
/// Epochs are 0-based as Keras stores them; text shown to people says `epoch + 1`, as
/// Keras prints them. A value that was not logged in some epoch is `Double.nan`.
public struct TrainingLog: Sendable, Equatable, Codable {
    /// The 0-based epoch number of each row.
    public private(set) var epochs: [Int]
    /// Metric name → one value per row (`Double.nan` where the metric was not logged).
    public private(set) var series: [String: [Double]]

    /// An empty log, ready for `append(epoch:logs:)`.
    public init() {
        epochs = []
        series = [:]
    }

    /// A log from metric series of equal length, epochs `0..<count` unless given.
    /// - Throws: `TrainingLogError.unequalLengths` when the series differ in length,
    ///   `TrainingLogError.epochCountMismatch` when `epochs` has another length.
    public init(series: [String: [Double]], epochs: [Int]? = nil) throws {
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

    /// The epoch numbers a log file may hold (0-based, as Keras counts them).
    public static let validEpochs = 0...1_000_000_000

    /// The number of epochs (rows) in the log.
    public var count: Int { epochs.count }

    /// Whether the log has no epochs.
    public var isEmpty: Bool { epochs.isEmpty }

    /// The metric names, sorted alphabetically (Keras's CSVLogger column order).
    public var metricNames: [String] { series.keys.sorted() }

    /// The values of `metric`, or nil when the log has no such metric or it was never
    /// logged (all values missing).
    public func values(_ metric: String) -> [Double]? {
        guard let values = series[metric], values.contains(where: { !$0.isNaN }) else { return nil }
        return values
    }

    /// Whether `metric` has at least one logged value.
    public func contains(_ metric: String) -> Bool { values(metric) != nil }

    /// Appends one epoch, as a Keras callback's `on_epoch_end(epoch, logs)` sees it.
    /// Metrics seen for the first time are back-filled with `nan` for earlier epochs;
    /// metrics missing from `logs` get `nan` for this epoch.
    public mutating func append(epoch: Int, logs: [String: Double]) {
        let previousCount = epochs.count
        epochs.append(epoch)
        for name in logs.keys where series[name] == nil {
            series[name] = Array(repeating: .nan, count: previousCount)
        }
        for name in series.keys {
            series[name, default: []].append(logs[name] ?? .nan)
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
