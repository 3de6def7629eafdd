/// What one evidence sentence claims, as data: a quantity of the log, the value the sentence quotes,
/// and how it compares with a rule's threshold. `DiagnosisChecker` recomputes the quantity from the
/// log and checks value and comparison, so a sentence cannot contradict the numbers it reads.
public struct EvidenceClaim: Sendable, Codable, Equatable {
    /// A number computed from the log (rows are 0-based indices into it).
    public enum Quantity: Sendable, Codable, Equatable {
        /// `metric` at `row`.
        case value(metric: String, row: Int)
        /// `minuend[row] − subtrahend[row]`.
        case difference(minuend: String, subtrahend: String, row: Int)
        /// `(metric[to] − metric[from]) / |metric[from]|`.
        case relativeChange(metric: String, from: Int, to: Int)
        /// `metric[row] / denominator[denominatorRow]`.
        case ratio(metric: String, row: Int, denominator: String, denominatorRow: Int)
        /// Least-squares slope of `metric` over rows `from...to`, divided by the median of their magnitudes.
        case relativeSlope(metric: String, from: Int, to: Int)
        /// The row of `metric`'s best value (smallest for losses, largest for accuracies), first of ties.
        case bestRow(metric: String)
        /// The largest finite value of `metric` over rows `0...through`.
        case maximum(metric: String, through: Int)
        /// Final rows (counted back from the last) where `minuend − subtrahend ≥ threshold`.
        case finalRunAtLeast(minuend: String, subtrahend: String)
        /// Final rows where the smoothed `metric` is worse than its smoothed best by at least `minimumRelativeRise` (relative).
        case finalRunWorse(metric: String)
        /// The best value of `metric`'s moving median (width `smoothingWidth`).
        case smoothedBest(metric: String)
        /// Fraction of epoch-to-epoch changes of `metric` that flip sign.
        case signChangeFraction(metric: String)
        /// Least-squares slope of `metric` over rows `from...to` (per epoch, in the metric's units).
        case slope(metric: String, from: Int, to: Int)
        /// Median epoch-to-epoch change of `metric` after its first epoch: relative to its median level, or absolute.
        case medianChange(metric: String, relative: Bool)
        /// Rows after the best row of `metric` to the last row.
        case epochsSinceBest(metric: String)
        /// `(validation − training)[row]` minus the training metric's slope over its last 3 rows (when rising).
        case leadBeyondAveraging(training: String, validation: String, row: Int)
        /// Share of the epoch-to-epoch changes of `metric` over the last half of the run that are decreases.
        case descentFraction(metric: String)
        /// The median of the last `count` finite values of `metric`.
        case tailMedian(metric: String, count: Int)
        /// A fact from outside the log (classes, steps per epoch): only its comparison is checked.
        case stated(name: String)
    }

    /// How the quantity compares with the threshold.
    public enum Relation: String, Sendable, Codable, Equatable {
        /// `quantity ≥ threshold`.
        case atLeast
        /// `quantity < threshold`.
        case below
        /// `quantity > threshold`.
        case above
        /// `quantity ≤ threshold`.
        case atMost
    }

    /// Which sentence makes the claim: an index into `Diagnosis.evidence`, or nil for the headline.
    public var sentence: Int?
    /// What is measured.
    public var quantity: Quantity
    /// The value the sentence quotes (unrounded).
    public var value: Double
    /// The comparison the sentence states, if any.
    public var relation: Relation?
    /// What the value is compared with.
    public var threshold: Double?
    /// The rule whose threshold this is (the checker verifies the threshold is the rule's own).
    public var rule: DiagnosisRule?

    /// A claim about `quantity`.
    public init(sentence: Int? = nil, quantity: Quantity, value: Double, relation: Relation? = nil,
                threshold: Double? = nil, rule: DiagnosisRule? = nil) {
        self.sentence = sentence
        self.quantity = quantity
        self.value = value
        self.relation = relation
        self.threshold = threshold
        self.rule = rule
    }

    /// Whether `value` stands in `relation` to `threshold` (true without a comparison).
    public var comparisonHolds: Bool {
        guard let relation, let threshold else { return true }
        return Self.holds(value, relation, threshold)
    }

    static func holds(_ value: Double, _ relation: Relation, _ threshold: Double) -> Bool {
        // A tiny tolerance, so 0.82 − 0.77 counts as the 0.05 it is despite binary rounding.
        let slack = 1e-9 * max(1, abs(threshold))
        switch relation {
        case .atLeast: return value >= threshold - slack
        case .below: return value < threshold - slack
        case .above: return value > threshold
        case .atMost: return value <= threshold + slack
        }
    }
}
