import Foundation

/// The report's sections, each an HTML fragment.
extension HTMLReport {
    private func escape(_ text: String) -> String { XMLEscape.text(text) }
    private func number(_ value: Double) -> String { DiagnosticsFormat.number(value) }

    func header() -> String {
        let metrics = log?.metricNames.joined(separator: ", ") ?? ""
        let line = [subtitle, log.map { "\($0.count) epochs" }, metrics.isEmpty ? nil : "metrics: \(metrics)"]
            .compactMap { $0 }.joined(separator: " · ")
        return "<h1>\(escape(title))</h1><p class=\"subtitle\">\(escape(line))</p>"
    }

    /// The verdict section: badge, headline, evidence, suggestions and held-out comparisons (an HTML fragment).
    public func verdictSection(_ diagnosis: Diagnosis) -> String {
        let evidence = diagnosis.evidence.map { "<li>\(escape($0))</li>" }.joined()
        let suggestions = diagnosis.suggestions.map { "<li>\(escape($0.text))</li>" }.joined()
        var html = """
        <section id="verdict"><div class="verdict"><span class="badge \(diagnosis.verdict.rawValue)">\(escape(diagnosis.verdict.title))</span>
        <span class="headline">\(escape(diagnosis.headline))</span></div>
        <div class="columns"><div><h3>Evidence</h3><ul>\(evidence)</ul></div>
        <div><h3>Suggestions</h3><ul>\(suggestions)</ul></div></div>
        """
        if !diagnosis.holdout.isEmpty {
            html += "<h3>Held-out test set</h3><ul>" + diagnosis.holdout.map { "<li>\(escape($0.sentence))</li>" }.joined() + "</ul>"
        }
        return html + "</section>"
    }

    func chartsSection(_ log: TrainingLog, _ diagnosis: Diagnosis) -> String {
        var html = "<section id=\"curves\"><h2>Learning curves</h2>"
        html += "<div class=\"chart\">\(LearningCurveCharts.lossAndAccuracy(log: log, diagnosis: diagnosis))</div>"
        if diagnosis.accuracyGap != nil || diagnosis.lossGap != nil {
            html += "<div class=\"chart\">\(LearningCurveCharts.gap(log: log, diagnosis: diagnosis, options: options))</div>"
        }
        html += "<p class=\"note\">Solid lines: training; dashed: validation. Epochs are numbered from 1, as Keras prints them.</p>"
        return html + "</section>"
    }

    /// The key-numbers table: best epoch, final metrics, final gap, simulated EarlyStopping (an HTML fragment).
    public func numbersSection(_ log: TrainingLog, _ diagnosis: Diagnosis) -> String {
        var rows: [(String, String)] = []
        if let monitor = diagnosis.monitor, let best = diagnosis.bestEpoch, let value = diagnosis.bestValue {
            rows.append(("Best epoch (\(monitor))", "\(best + 1) — \(number(value))"))
        }
        for name in log.metricNames {
            if let last = log.values(name).flatMap(SeriesStatistics.lastFinite) {
                rows.append(("Final \(name)", number(last.value)))
            }
        }
        if let gap = diagnosis.accuracyGap.flatMap(SeriesStatistics.lastFinite) {
            rows.append(("Final accuracy gap (train − val)", number(gap.value)))
        }
        if let simulation = diagnosis.earlyStopping {
            let outcome = simulation.stoppedEpoch.map { "would stop at epoch \($0 + 1), restore epoch \((simulation.bestEpoch ?? 0) + 1)" }
                ?? "would not stop early"
            rows.append(("EarlyStopping(patience: \(simulation.patience))", outcome))
        }
        let body = rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined()
        return "<section id=\"numbers\"><h2>Key numbers</h2><table>\(body)</table></section>"
    }

    /// The per-class view: confusion-matrix heatmap, per-class table and most confused pairs (nil without `confusionMatrix`).
    public func confusionSection() -> String? {
        guard let matrix = confusionMatrix else { return nil }
        let gaps = trainConfusionMatrix.flatMap { try? ConfusionMatrix.perClassGap(train: $0, validation: matrix,
                                                                                   threshold: options.accuracyGapThreshold) }
        var header = "<tr><th>Class</th><th class=\"number\">Support</th><th class=\"number\">Precision</th><th class=\"number\">Recall</th><th class=\"number\">F1</th>"
        if gaps != nil { header += "<th class=\"number\">Train acc.</th><th class=\"number\">\(heldOutName == "validation" ? "Val" : escape(heldOutName.capitalized)) acc.</th><th class=\"number\">Gap</th>" }
        header += "</tr>"
        let rows = matrix.perClassMetrics.map { metrics -> String in
            let gap = gaps?[metrics.classIndex]
            var row = "<tr\(gap?.isOverfitted == true ? " class=\"flagged\"" : "")><td>\(escape(metrics.name))</td>"
            row += "<td class=\"number\">\(metrics.support)</td><td class=\"number\">\(number(metrics.precision))</td>"
            row += "<td class=\"number\">\(number(metrics.recall))</td><td class=\"number\">\(number(metrics.f1))</td>"
            if let gap {
                row += "<td class=\"number\">\(number(gap.trainAccuracy))</td><td class=\"number\">\(number(gap.validationAccuracy))</td><td class=\"number\">\(number(gap.gap))</td>"
            }
            return row + "</tr>"
        }.joined()
        let pairs = matrix.mostConfusedPairs(limit: 5).map { "<li>\(escape($0.sentence))</li>" }.joined()
        var html = "<section id=\"confusion\"><h2>Per-class view</h2><div class=\"confusion\">"
        html += "<div class=\"chart\">\(ConfusionMatrixHeatmap(matrix: matrix).svg())</div><div>"
        html += "<p>Accuracy \(number(matrix.accuracy)) on \(matrix.total) samples; macro F1 \(number(matrix.macroF1)).</p>"
        html += "<table>\(header)\(rows)</table>"
        if let gaps, gaps.contains(where: \.isOverfitted) {
            let names = gaps.filter(\.isOverfitted).map(\.name).joined(separator: ", ")
            html += "<p class=\"note\">Highlighted: classes whose train − \(escape(heldOutName)) accuracy gap is at least \(number(options.accuracyGapThreshold)) (\(escape(names))).</p>"
        }
        if !pairs.isEmpty { html += "<h3>Most confused</h3><ul>\(pairs)</ul>" }
        return html + "</div></div></section>"
    }

    func imagesSection() -> String? {
        let images = sampleImages.filter(\.looksLikePNG)
        guard !images.isEmpty else { return nil }
        let figures = images.map {
            "<figure><img src=\"\($0.dataURI)\" alt=\"\(escape($0.caption))\"><figcaption>\(escape($0.caption))</figcaption></figure>"
        }.joined()
        return "<section id=\"samples\"><h2>\(escape(samplesTitle))</h2><div class=\"images\">\(figures)</div></section>"
    }

    func multiRunSection() -> String? {
        guard let summary = multiRun else { return nil }
        let sentences = summary.sentences.map { "<li>\(escape($0))</li>" }.joined()
        return "<section id=\"runs\"><h2>\(summary.runCount) runs</h2><ul>\(sentences)</ul><div class=\"chart\">\(LearningCurveCharts.multiRun(summary))</div></section>"
    }

    func variantsSection() -> String? {
        guard let comparison = variants else { return nil }
        let head = comparison.titles.map { "<th>\(escape($0))</th>" }.joined()
        let rows = comparison.rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined()
        let sentences = comparison.sentences.map { "<li>\(escape($0))</li>" }.joined()
        return "<section id=\"variants\"><h2>Variants</h2><table><tr>\(head)</tr>\(rows)</table><ul style=\"margin-top:12px\">\(sentences)</ul><div class=\"chart\">\(LearningCurveCharts.variants(comparison))</div></section>"
    }

    func footer() -> String {
        let thresholds = options.ruleStatements.joined(separator: "; ") + "; EarlyStopping patience \(options.earlyStoppingPatience)."
        return "<p class=\"note\">Generated by Kestrel diagnostics. Thresholds — \(escape(thresholds))</p>"
    }
}
