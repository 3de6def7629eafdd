/// One metric across several runs: per epoch the mean, the standard deviation and the 95 %
/// confidence interval's half-width (what "±" means everywhere in Kestrel's reports).
///
/// Runs of different lengths (early stopping) are handled epoch by epoch: each epoch
/// averages the runs that reached it, and `runCounts` says how many that were.
public struct MetricBand: Sendable, Codable, Equatable {
    /// The metric name.
    public var metric: String
    /// Per epoch: the mean over the runs that logged it.
    public var mean: [Double]
    /// Per epoch: the sample standard deviation (0 where only one run contributes).
    public var standardDeviation: [Double]
    /// Per epoch: how many runs contributed.
    public var runCounts: [Int]
    /// Per epoch: the 95 % Student-t interval's half-width, `t(0.975, n − 1) · s / √n` (0 where only one run contributes).
    public var halfWidth: [Double] {
        zip(standardDeviation, runCounts).map { deviation, count in
            count < 2 ? 0 : StudentT.criticalValue95(degreesOfFreedom: count - 1) * deviation / Double(count).squareRoot()
        }
    }

    /// The band of `metric` over `logs` (epochs aligned by row index).
    public init(metric: String, logs: [TrainingLog]) {
        self.metric = metric
        let length = logs.map(\.count).max() ?? 0
        var means: [Double] = []
        var deviations: [Double] = []
        var counts: [Int] = []
        for row in 0..<length {
            let values = logs.compactMap { log -> Double? in
                guard let series = log.values(metric), row < series.count, series[row].isFinite else { return nil }
                return series[row]
            }
            means.append(values.isEmpty ? .nan : SeriesStatistics.mean(values))
            deviations.append(SeriesStatistics.standardDeviation(values))
            counts.append(values.count)
        }
        mean = means
        standardDeviation = deviations
        runCounts = counts
    }

    /// Number of epochs (the longest run's).
    public var count: Int { mean.count }
}
