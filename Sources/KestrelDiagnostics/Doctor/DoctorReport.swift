import Foundation

/// `DoctorResult` for people: terminal text and one HTML page (baseline curves and diagnosis,
/// ranked remedy table with intervals and verdicts, overlaid curves, the prescription as Swift and
/// as a `kestrel fit` command).
public enum DoctorReport {
    /// The explanation of the statistics, shown under every table.
    public static let statisticsNote = "Δ = remedy − baseline on the same seeds (paired); ± is the 95 % Student-t interval's half-width over the seeds; p is the paired t test's two-sided p-value, Holm-corrected over all remedies tried (family-wise error 5 %). Ranked: remedies that fix the verdict first, those that keep test accuracy (mean Δ ≥ −0.5 %) before those that cost it, then by Δ test accuracy."

    /// The heading over the recommended recipe: a prescription, or the best trade-off.
    static func recommendationTitle(_ result: DoctorResult) -> String {
        result.prescription != nil ? "Prescription" : "Best trade-off (costs test accuracy)"
    }

    /// The table rows: remedy, runs, Δ test accuracy, Δ best val_loss, Δ gap, p (Holm), verdict.
    static func rows(_ result: DoctorResult) -> [[String]] {
        let recommended = result.recommended?.name
        let mark = result.prescription != nil ? "PRESCRIBED: " : "BEST TRADE-OFF: "
        return result.ranked.map { arm in
            [arm.name, "\(arm.runs.count)",
             arm.testAccuracy?.text { String(format: "%+.2f %%", $0 * 100) } ?? "–",
             arm.bestValidationLoss?.text { String(format: "%+.4f", $0) } ?? "–",
             arm.finalGap?.text { String(format: "%+.4f", $0) } ?? "–",
             arm.adjustedPValue.map { String(format: "%.3f", $0) } ?? "–",
             (arm.name == recommended ? mark : "") + arm.sentence]
        }
    }

    static let titles = ["Remedy", "Runs", "Δ test accuracy", "Δ best val_loss", "Δ final gap", "p (Holm)", "Verdict"]

    /// The report as terminal text.
    public static func text(_ result: DoctorResult, dataset: String) -> String {
        var lines = ["Doctor: \(result.baseline.runs.count) baseline runs (seeds \(result.seeds.map(String.init).joined(separator: ", "))), \(result.arms.count) remedies tried, \(String(format: "%.0f", result.seconds)) s" + (result.parallelism > 1 ? " (\(result.parallelism) runs at a time)" : ""),
                     "Baseline: \(result.problem.title) — \(result.diagnosis.headline)",
                     String(format: "  test accuracy %.4f, best val_loss %.4f, final gap %.4f (means over the seeds)",
                            result.baseline.mean(\.testAccuracy), result.baseline.mean(\.bestValidationLoss), result.baseline.mean(\.finalGap))]
        if !result.arms.isEmpty {
            lines += ["", TextTable.render(titles: titles, rows: rows(result)), statisticsNote]
        }
        lines += ["", result.conclusion]
        if let remedy = result.recommended?.remedy {
            lines += ["", "\(recommendationTitle(result)), Swift:", RecipeText.swiftSnippet(remedy.recipe), "",
                      "\(recommendationTitle(result)), command line:", RecipeText.fitCommand(remedy.recipe, dataset: dataset)]
        }
        return lines.joined(separator: "\n")
    }

    /// The report as one self-contained HTML page.
    /// `dataset` is the `--dataset` value the printed `kestrel fit` command uses; `description`
    /// (default: the same) says what was loaded, under the title.
    public static func html(_ result: DoctorResult, title: String = "Kestrel doctor", dataset: String, description: String? = nil) -> String {
        let escape = XMLEscape.text
        var body = "<h1>\(escape(title))</h1>\n<p class=\"subtitle\">\(escape(description ?? dataset)) · model: \(escape(RecipeText.specification(result.recipe.specification))) · \(result.recipe.epochs) epochs · seeds \(result.seeds.map(String.init).joined(separator: ", ")) · \(String(format: "%.0f", result.seconds)) s</p>\n"
        body += "<section><h2>Baseline: \(escape(result.problem.title))</h2><p>\(escape(result.diagnosis.headline))</p><ul>"
        body += result.diagnosis.evidence.map { "<li>\(escape($0))</li>" }.joined()
        body += "</ul>\n"
        if let log = result.baseline.runs.last?.log { body += LearningCurveCharts.lossAndAccuracy(log: log, diagnosis: result.diagnosis) }
        body += "</section>\n"
        body += "<section><h2>\(escape(result.recommended == nil ? "Prescription" : recommendationTitle(result)))</h2><p><strong>\(escape(result.conclusion))</strong></p>"
        if let remedy = result.recommended?.remedy {
            body += "<h3>Swift</h3><pre>\(escape(RecipeText.swiftSnippet(remedy.recipe)))</pre><h3>Command line</h3><pre>\(escape(RecipeText.fitCommand(remedy.recipe, dataset: dataset)))</pre>"
        }
        body += "</section>\n"
        if !result.arms.isEmpty {
            body += "<section><h2>Remedies, ranked</h2><table><thead><tr>" + titles.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
            body += rows(result).map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined()
            body += "</tbody></table><p class=\"note\">\(escape(statisticsNote))</p></section>\n"
            let best = result.ranked.prefix(3)
            let runs = [("baseline", result.baseline.runs.last?.log)] + best.map { ($0.name, $0.runs.last?.log) }
            body += "<section><h2>Baseline vs the best remedies (last seed)</h2>"
            body += LearningCurveCharts.overlaid(runs: runs.compactMap { name, log in log.map { (name: name, log: $0) } },
                                                 title: "Baseline vs the best remedies")
            body += "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
        .subtitle, .note { color: #555; font-size: 14px; }
        table { border-collapse: collapse; font-size: 14px; } th, td { border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top; }
        pre { background: #f5f5f5; padding: 12px; overflow-x: auto; } svg { max-width: 100%; height: auto; }
        </style></head><body>
        \(body)
        </body></html>
        """
    }
}
