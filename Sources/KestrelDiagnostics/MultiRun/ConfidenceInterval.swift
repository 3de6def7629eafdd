import Foundation

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

    /// "0.353 ± 0.021 (95% CI 0.332 to 0.374, n = 5)".
    public var text: String { text(format: DiagnosticsFormat.number) }

    /// The interval with `decimals` fixed decimals, e.g. epochs as "10.0 ± 2.5 (95% CI 7.5 to 12.5, n = 3)".
    public func text(decimals: Int) -> String {
        text(format: { String(format: "%.\(max(0, decimals))f", $0) })
    }

    /// For a table cell: "0.353 ± 0.021" (± is the 95 % CI half-width), or just "0.353" for one run.
    public var shortText: String { shortText(format: DiagnosticsFormat.number) }

    /// `shortText` with `decimals` fixed decimals, e.g. "10.0 ± 2.5", or "15.0" for one run.
    public func shortText(decimals: Int) -> String {
        shortText(format: { String(format: "%.\(max(0, decimals))f", $0) })
    }

    private func shortText(format: (Double) -> String) -> String {
        count > 1 ? "\(format(mean)) ± \(format(halfWidth))" : format(mean)
    }

    private func text(format: (Double) -> String) -> String {
        guard count > 1 else { return "\(format(mean)) (n = 1, no interval)" }
        return "\(format(mean)) ± \(format(halfWidth)) (95% CI \(format(lower)) to \(format(upper)), n = \(count))"
    }
}
