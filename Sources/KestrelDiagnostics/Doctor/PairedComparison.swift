import Foundation

/// A remedy against the baseline on the same seeds: the per-seed differences (remedy − baseline),
/// their mean ± 95 % interval, and the paired Student t test of "no difference".
public struct PairedComparison: Sendable, Codable, Equatable {
    /// Per seed: remedy − baseline.
    public var differences: [Double]
    /// Mean difference.
    public var mean: Double
    /// 95 % Student-t interval half-width of the mean difference (0 with one seed).
    public var halfWidth: Double
    /// The paired t statistic, mean / (s / √n); nil with fewer than two seeds or no spread.
    public var tStatistic: Double?
    /// Two-sided p-value of the paired t test (nil when `tStatistic` is).
    public var pValue: Double?

    /// Pairs `remedy[i]` with `baseline[i]` (same seed); non-finite pairs are dropped.
    public init(baseline: [Double], remedy: [Double]) {
        differences = zip(remedy, baseline).map { $0 - $1 }.filter(\.isFinite)
        let count = differences.count
        mean = count == 0 ? .nan : SeriesStatistics.mean(differences)
        let deviation = count < 2 ? 0 : SeriesStatistics.standardDeviation(differences)
        halfWidth = count < 2 ? 0 : StudentT.criticalValue95(degreesOfFreedom: count - 1) * deviation / Double(count).squareRoot()
        if count >= 2, deviation > 0 {
            let t = mean / (deviation / Double(count).squareRoot())
            tStatistic = t
            pValue = StudentT.twoSidedPValue(t: t, degreesOfFreedom: count - 1)
        } else if count >= 2, mean != 0 {
            tStatistic = mean > 0 ? .infinity : -.infinity
            pValue = 0
        }
    }

    /// Lower end of the 95 % interval.
    public var lower: Double { mean - halfWidth }
    /// Upper end of the 95 % interval.
    public var upper: Double { mean + halfWidth }

    /// "+0.006 ± 0.003" with `format` for the numbers (the ± is the 95 % interval's half-width).
    public func text(_ format: (Double) -> String = { String(format: "%+.4f", $0) }) -> String {
        differences.count > 1 ? "\(format(mean)) ± \(String(format(halfWidth)).replacingOccurrences(of: "+", with: ""))" : format(mean)
    }

    /// Holm's step-down correction: adjusted p-values in the input order (each ≤ 1, monotone in rank).
    public static func holmAdjusted(_ pValues: [Double]) -> [Double] {
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = Array(repeating: 1.0, count: pValues.count)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(pValues.count - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}

extension StudentT {
    /// P(|T| ≥ |t|) for Student's t with `degreesOfFreedom`: the regularised incomplete beta
    /// function I_x(ν/2, 1/2) at x = ν / (ν + t²).
    static func twoSidedPValue(t: Double, degreesOfFreedom: Int) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        let nu = Double(degreesOfFreedom)
        return regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// I_x(a, b) by its continued fraction (modified Lentz), using the symmetry for large x.
    static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = Foundation.lgamma(a + b) - Foundation.lgamma(a) - Foundation.lgamma(b)
        let logPowers: Double = a * Foundation.log(x) + b * Foundation.log(1 - x)
        let logFront = logGammas + logPowers
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularizedIncompleteBeta(x: 1 - x, a: b, b: a)
        }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        d = abs(d) < tiny ? tiny : d
        d = 1 / d
        var fraction = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d; d = abs(d) < tiny ? tiny : d; d = 1 / d
            c = 1 + even / c; c = abs(c) < tiny ? tiny : c
            fraction *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d; d = abs(d) < tiny ? tiny : d; d = 1 / d
            c = 1 + odd / c; c = abs(c) < tiny ? tiny : c
            let step = d * c
            fraction *= step
            if abs(step - 1) < 1e-14 { break }
        }
        return Foundation.exp(logFront) * fraction / a
    }
}
