/// The diagnosis for a terminal: verdict, headline, evidence, suggestions, test-set
/// comparison and small Unicode charts of loss and accuracy.
public enum TerminalReport {
    /// The text; `color` adds ANSI colours (use only when writing to a terminal). The last line
    /// states the rules with the thresholds of `options` (the ones the sentences applied).
    public static func render(_ diagnosis: Diagnosis, log: TrainingLog, color: Bool = false, chartWidth: Int = 60,
                              options: DiagnosisOptions = DiagnosisOptions()) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let verdictColor: String
        switch diagnosis.verdict {
        case .overfitting, .leakageSuspected, .trainInferenceMismatch: verdictColor = "1;31"
        case .underfitting, .stillLearning, .underTrained: verdictColor = "1;33"
        case .goodFit, .earlyStopped: verdictColor = "1;32"
        case .unstable, .diverging, .nanLoss, .collapsed: verdictColor = "1;35"
        case .cannotJudge: verdictColor = "1"
        }
        var lines = ["Verdict: " + paint(diagnosis.verdict.title, verdictColor), diagnosis.headline, "", paint("Evidence", "1")]
        lines += diagnosis.evidence.map { "  • " + $0 }
        lines += ["", paint("Suggestions", "1")]
        lines += diagnosis.suggestions.map { "  → " + $0.text }
        if !diagnosis.holdout.isEmpty {
            lines += ["", paint("Held-out test set", "1")]
            lines += diagnosis.holdout.map { "  • " + $0.sentence }
        }
        let keys = MetricKeys(log)
        for (title, train, validation) in [("Loss", keys.loss, keys.validationLoss), ("Accuracy", keys.accuracy, keys.validationAccuracy)] {
            var series: [(name: String, values: [Double], marker: Character)] = []
            if let train, let values = log.values(train) { series.append((train, values, "●")) }
            if let validation, let values = log.values(validation) { series.append((validation, values, "○")) }
            guard !series.isEmpty else { continue }
            lines.append("")
            lines.append(TextChart(title: title, series: series, width: chartWidth, markedEpoch: diagnosis.bestEpoch).render())
        }
        if let best = diagnosis.bestEpoch, let monitor = diagnosis.monitor {
            lines.append("  │ best epoch \((best < log.epochs.count ? log.epochs[best] : best) + 1) by \(monitor)")
        }
        // One line a rule; a statement starting "or …" is the second half of the rule above it.
        var rules: [String] = []
        for statement in options.ruleStatements {
            if statement.hasPrefix("or "), let last = rules.popLast() { rules.append(last + "; " + statement) } else { rules.append(statement) }
        }
        lines += ["", paint("Rules", "2") + " behind the verdict:"] + rules.map { "  · " + $0 }
        return lines.joined(separator: "\n")
    }

    /// Several seeds of one experiment: the findings and a mean-curve chart of the losses.
    public static func render(_ summary: MultiRunSummary, chartWidth: Int = 60) -> String {
        var lines = ["\(summary.runCount) runs"] + summary.sentences.map { "  • " + $0 }
        var series: [(name: String, values: [Double], marker: Character)] = []
        if let band = summary.band("loss") { series.append(("mean loss", band.mean, "●")) }
        if let band = summary.band("val_loss") { series.append(("mean val_loss", band.mean, "○")) }
        if !series.isEmpty {
            lines += ["", TextChart(title: "Loss", series: series, width: chartWidth).render()]
        }
        return lines.joined(separator: "\n")
    }

    /// Variants side by side: a table and the comparison in sentences.
    public static func render(_ comparison: VariantComparison) -> String {
        let table = TextTable.render(titles: comparison.titles, rows: comparison.rows)
        return ([table, ""] + comparison.sentences.map { "  • " + $0 }).joined(separator: "\n")
    }
}
