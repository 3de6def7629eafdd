/// A mean with its two-sided 95 % Student-t confidence interval, from a handful of runs.
public struct ConfidenceInterval: Sendable, Codable, Equatable {
    /// The sample mean.
    public var mean: Double
    /// The sample standard deviation (n − 1).
    public var standardDeviation: Double
    /// The number of values.
    public var count: Int
    /// `t(0.975, n − 1) · s / √n`; 0 for a single value (no spread can be estimated from one run).
    public var halfWidth: Double

    /// Lower end of the interval.
    public var lower: Double { mean - halfWidth }
    /// Upper end of the interval.
    public var upper: Double { mean + halfWidth }

    /// The interval of the finite `values`; nil when there are none.
    public init?(values: [Double]) {
        let finite = values.filter { $0.isFinite }
        guard !finite.isEmpty else { return nil }
        mean = SeriesStatistics.mean(finite)
        standardDeviation = SeriesStatistics.standardDeviation(finite)
        count = finite.count
        halfWidth = finite.count < 2 ? 0
            : StudentT.criticalValue95(degreesOfFreedom: finite.count - 1) * standardDeviation / Double(finite.count).squareRoot()
    }

    /// "0.353 ± 0.021 (95% CI 0.332–0.374, n = 5)".
    public var text: String {
        let format = DiagnosticsFormat.number
        guard count > 1 else { return "\(format(mean)) (n = 1, no interval)" }
        return "\(format(mean)) ± \(format(halfWidth)) (95% CI \(format(lower)) to \(format(upper)), n = \(count))"
    }
}
