import Foundation

/// Variants of one experiment side by side (smaller / baseline / bigger, or without / with
/// regularisation), each summarised over its runs.
public struct VariantComparison: Sendable, Codable, Equatable {
    /// The variants, in the order given.
    public var variants: [VariantSummary]

    /// What `VariantSummary.heldOut` measures, the title of its column (nil: "Test accuracy").
    public var heldOutName: String?

    /// Pairs of variants trained or validated on visibly different data, which the sibling rule does not
    /// compare (one sentence each; nil or empty when all share their data or nothing was recorded).
    public var dataNotes: [String]?

    /// A comparison of `variants`.
    public init(variants: [VariantSummary]) { self.variants = variants }

    /// Records each variant's held-out scores (one per run, e.g. test accuracy), keyed by variant
    /// name, as a mean with its 95 % interval; the comparison then shows them as a column.
    public mutating func setHeldOut(_ scores: [String: [Double]], name: String = "Test accuracy") {
        heldOutName = name
        for index in variants.indices { variants[index].heldOut = scores[variants[index].name].flatMap(ConfidenceInterval.init(values:)) }
    }

    /// Whether any variant has a held-out score.
    private var hasHeldOut: Bool { variants.contains { $0.heldOut != nil } }

    /// `columnTitles`, plus the held-out column when any variant has a score.
    public var titles: [String] { Self.columnTitles + (hasHeldOut ? ["\(heldOutName ?? "Test accuracy") (mean ± 95% CI)"] : []) }

    /// The variant with the best mean best-monitored value (lowest loss / highest accuracy).
    public var bestVariant: VariantSummary? {
        let scored = variants.compactMap { variant -> (VariantSummary, Double)? in
            guard let monitor = variant.summary.monitor, let best = variant.summary.bestValue else { return nil }
            return (variant, MetricOrientation.inferred(for: monitor).badness(best.mean))
        }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// One row per variant for a table: name, runs, best value, best epoch, final gap, overfitting
    /// (and the held-out score when measured); `titles` names the columns.
    public var rows: [[String]] {
        variants.map { variant in
            let summary = variant.summary
            return [
                variant.name,
                "\(summary.runCount)",
                summary.bestValue?.shortText ?? "–",
                summary.bestEpoch.map { $0.shortText(decimals: 1) } ?? "–",
                summary.finalGap?.shortText ?? "–",
                "\(summary.overfittingRunCount)/\(summary.runCount)" + (summary.overfittingConfirmed ? " (confirmed)" : ""),
            ] + (hasHeldOut ? [variant.heldOut?.shortText ?? "–"] : [])
        }
    }

    /// Column titles matching `rows`.
    /// "±" is the 95 % confidence interval's half-width (Student t over the runs), as everywhere in Kestrel.
    public static let columnTitles = ["Variant", "Runs", "Best monitored value (mean ± 95% CI)", "Best epoch (mean ± 95% CI)",
                                      "Final gap (mean ± 95% CI)", "Overfitting runs"]

    /// The comparison in sentences.
    public var sentences: [String] {
        var sentences: [String] = []
        if let best = bestVariant, let monitor = best.summary.monitor, let value = best.summary.bestValue {
            sentences.append("'\(best.name)' reaches the best \(monitor): \(value.text).")
        }
        for variant in variants {
            let summary = variant.summary
            let majority = summary.majorityVerdict
            let agreeing = majority.map { summary.verdictCounts[$0.rawValue] ?? 0 } ?? 0
            let verdict = majority.map { "\($0.title.lowercased()) in \(agreeing) of \(summary.runCount) runs" } ?? "no verdict"
            let heldOut = variant.heldOut.map { "; \((heldOutName ?? "Test accuracy").lowercased()) \($0.text)" } ?? ""
            let confirmed = summary.overfittingConfirmed ? " (confirmed)" : ""
            // The overfitting count is said apart only where the verdict's count does not already say it.
            let overfitting = majority == .overfitting && agreeing == summary.overfittingRunCount
                ? confirmed : "; overfitting in \(summary.overfittingRunCount) of \(summary.runCount) runs\(confirmed)"
            sentences.append("'\(variant.name)': \(verdict)\(overfitting)\(heldOut).")
        }
        return sentences + (dataNotes ?? [])
    }
}
