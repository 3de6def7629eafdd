/// Aggregates several runs of one experiment (different seeds) and compares variants.
public struct MultiRunAnalyzer: Sendable {
    /// Thresholds for each run's diagnosis.
    public var options: DiagnosisOptions
    /// Fraction of runs that must overfit for overfitting to count as confirmed (with at least
    /// `options.minimumRunsToConfirm` runs). Default 2/3.
    public var confirmationFraction: Double

    /// An analyzer with the given thresholds.
    public init(options: DiagnosisOptions = DiagnosisOptions(), confirmationFraction: Double = 2.0 / 3.0) {
        self.options = options
        self.confirmationFraction = confirmationFraction
    }

    /// Summarises `logs` (one per run); each run is diagnosed beside `siblings`, other models trained on
    /// the same data (see `CurveAnalyzer.diagnose(_:holdout:model:siblings:parameterCount:)`).
    /// - Throws: `MultiRunError.noRuns` for an empty list.
    public func summarize(_ logs: [TrainingLog], siblings: [SiblingRun] = []) throws -> MultiRunSummary {
        guard !logs.isEmpty else { throw MultiRunError.noRuns(argument: "logs") }
        let analyzer = CurveAnalyzer(options: options)
        let diagnoses = logs.map { analyzer.diagnose($0, siblings: siblings) }
        let names = Set(logs.flatMap(\.metricNames)).sorted()
        let bands = names.map { MetricBand(metric: $0, logs: logs) }
        let monitor = diagnoses.compactMap(\.monitor).first
        let bestEpoch = ConfidenceInterval(values: diagnoses.compactMap { $0.bestEpoch.map { Double($0 + 1) } })
        let bestValue = ConfidenceInterval(values: diagnoses.compactMap(\.bestValue))
        var gapName: String?
        var gaps = diagnoses.compactMap { $0.accuracyGap.flatMap(SeriesStatistics.lastFinite)?.value }
        if !gaps.isEmpty {
            gapName = "accuracy gap (accuracy − val_accuracy)"
        } else {
            gaps = diagnoses.compactMap { $0.lossGap.flatMap(SeriesStatistics.lastFinite)?.value }
            gapName = gaps.isEmpty ? nil : "loss gap (val_loss − loss)"
        }
        let finalGap = ConfidenceInterval(values: gaps)
        let overfitting = diagnoses.filter { $0.verdict == .overfitting }.count
        let confirmed = logs.count >= options.minimumRunsToConfirm
            && Double(overfitting) >= confirmationFraction * Double(logs.count) - 1e-9 && overfitting > 0
        var counts: [String: Int] = [:]
        for diagnosis in diagnoses { counts[diagnosis.verdict.rawValue, default: 0] += 1 }
        var summary = MultiRunSummary(runCount: logs.count, epochCounts: logs.map(\.count), bands: bands,
                                      diagnoses: diagnoses, monitor: monitor, bestEpoch: bestEpoch,
                                      bestValue: bestValue, finalGapName: gapName, finalGap: finalGap,
                                      overfittingRunCount: overfitting, overfittingConfirmed: confirmed,
                                      verdictCounts: counts, sentences: [])
        summary.sentences = sentences(summary)
        return summary
    }

    /// Summarises each named group of runs, for a side-by-side comparison. Each run is diagnosed beside the
    /// other variants' runs (a low accuracy that no variant beats is not called underfitting; one that a
    /// variant clearly beats may be), except those whose recorded data (`TrainingLog.data`: sample counts,
    /// targets) visibly differ from its own: values measured on other data say nothing about capacity, so
    /// such a pair is read without each other, and `VariantComparison.dataNotes` says so.
    /// - Throws: `MultiRunError` for no variants, a variant without runs, or duplicate names.
    public func compare(variants: [(name: String, logs: [TrainingLog])]) throws -> VariantComparison {
        guard !variants.isEmpty else { throw MultiRunError.noRuns(argument: "variants") }
        var seen = Set<String>()
        var summaries: [VariantSummary] = []
        for variant in variants {
            guard seen.insert(variant.name).inserted else { throw MultiRunError.duplicateVariant(variant.name) }
            guard !variant.logs.isEmpty else { throw MultiRunError.noRuns(argument: "variant '\(variant.name)'") }
            let siblings = variants.filter { $0.name != variant.name }.flatMap { other in other.logs.map { SiblingRun(name: other.name, log: $0) } }
            summaries.append(VariantSummary(name: variant.name, summary: try summarize(variant.logs, siblings: siblings)))
        }
        var comparison = VariantComparison(variants: summaries)
        comparison.dataNotes = Self.dataNotes(variants)
        return comparison
    }

    /// One sentence per pair of variants whose first runs' recorded data visibly differ.
    private static func dataNotes(_ variants: [(name: String, logs: [TrainingLog])]) -> [String] {
        var notes: [String] = []
        for (index, first) in variants.enumerated() {
            for second in variants[(index + 1)...] {
                let differences = DataDifference.between(first.logs.first?.data, second.logs.first?.data)
                guard !differences.isEmpty else { continue }
                let phrases = differences.map { $0.phrase(own: first.name, other: second.name) }.joined(separator: "; ")
                notes.append("'\(first.name)' and '\(second.name)' were trained or validated on different data (\(phrases)), so the sibling rule does not compare them: neither is called underfitting because of the other.")
            }
        }
        return notes
    }

    private func sentences(_ summary: MultiRunSummary) -> [String] {
        var sentences: [String] = []
        let runs = summary.runCount
        let overfit = summary.overfittingRunCount
        let needed = options.minimumRunsToConfirm
        if runs == 1, let only = summary.diagnoses.first {
            sentences.append("One run, so nothing is confirmed: its verdict is \(only.verdict.title.lowercased()) (\(only.headline)) A second seed would show whether it repeats: the same verdict again makes it likely real; a different one means this run's curve was partly noise. \(needed) runs that agree confirm it.")
        } else if summary.overfittingConfirmed {
            sentences.append("Overfitting is confirmed: \(overfit) of \(runs) runs overfit.")
        } else if overfit > 0, runs < needed {
            sentences.append("Overfitting is not confirmed: \(overfit) of \(runs) runs overfit, and confirming it takes at least \(needed) runs.")
        } else if overfit > 0 {
            sentences.append("Overfitting is not confirmed: only \(overfit) of \(runs) runs overfit, which may be noise.")
        } else {
            sentences.append("No run overfits (\(runs) runs).")
        }
        if runs > 1, let majority = summary.majorityVerdict {
            let agreeing = summary.verdictCounts[majority.rawValue] ?? 0
            let others = summary.verdictCounts.filter { $0.key != majority.rawValue && $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { "\(Verdict(rawValue: $0.key)?.title.lowercased() ?? $0.key) in \($0.value)" }
            sentences.append("Verdict of the \(runs) runs: \(majority.title.lowercased()) in \(agreeing) of \(runs)" + (others.isEmpty ? "." : " (" + others.joined(separator: ", ") + ")."))
        }
        if let monitor = summary.monitor, let best = summary.bestValue {
            sentences.append("Best \(monitor): \(best.text).")
        }
        if let epoch = summary.bestEpoch {
            sentences.append("Best epoch: \(epoch.text(decimals: 1)).")
        }
        if let gap = summary.finalGap, let name = summary.finalGapName {
            var sentence = "Final \(name): \(gap.text)"
            if gap.count > 1 && gap.lower > 0 { sentence += "; the whole interval is above zero" }
            sentences.append(sentence + ".")
        }
        if Set(summary.epochCounts).count > 1, let shortest = summary.epochCounts.min(), let longest = summary.epochCounts.max() {
            sentences.append("Runs have \(shortest) to \(longest) epochs (early stopping); later epochs average fewer runs.")
        }
        return sentences
    }
}
