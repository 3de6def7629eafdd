import Foundation

/// Variants of one experiment side by side (smaller / baseline / bigger, or without / with
/// regularisation), each summarised over its runs.
public struct VariantComparison: Sendable, Codable, Equatable {
    /// The variants, in the order given.
    public var variants: [VariantSummary]

    /// A comparison of `variants`.
    public init(variants: [VariantSummary]) { self.variants = variants }

    /// The variant with the best mean best-monitored value (lowest loss / highest accuracy).
    public var bestVariant: VariantSummary? {
        let scored = variants.compactMap { variant -> (VariantSummary, Double)? in
            guard let monitor = variant.summary.monitor, let best = variant.summary.bestValue else { return nil }
            return (variant, MetricOrientation.inferred(for: monitor).badness(best.mean))
        }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// One row per variant for a table: name, runs, best value, best epoch, final gap, overfitting.
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
            ]
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
            let verdict = summary.majorityVerdict?.title.lowercased() ?? "no verdict"
            sentences.append("'\(variant.name)': mostly \(verdict); overfitting in \(summary.overfittingRunCount) of \(summary.runCount) runs\(summary.overfittingConfirmed ? " (confirmed)" : "").")
        }
        return sentences
    }
}
