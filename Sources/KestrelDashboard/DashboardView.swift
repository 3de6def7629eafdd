import Foundation
import KestrelDiagnostics

/// Renders the page's fragments from the runs, with KestrelDiagnostics' analyzer, charts and report sections.
struct DashboardView {
    var title: String
    var subtitle: String
    var runs: [DashboardRun]
    /// Runs planned in all (`--seeds N`), at least `runs.count`.
    var runsPlanned: Int
    /// Whether the runs come from a folder of finished logs (`kestrel serve`).
    var isFolder: Bool
    var perClass: String?
    var options: DiagnosisOptions
    var now: Double

    private static let accuracyNames = ["accuracy", "acc", "sparse_categorical_accuracy", "categorical_accuracy",
                                        "binary_accuracy", "compile_metrics"]

    /// The payload with the runs named in `selection` overlaid (all runs when nil or empty).
    func payload(selection: Set<String>?) -> DashboardPayload {
        let shown = runs.filter { selection?.isEmpty != false || selection?.contains($0.name) == true }
        let names = Set(shown.map(\.name))
        // A run still training is read without the early-stopped reading (it has not stopped).
        func diagnose(_ run: DashboardRun) -> Diagnosis {
            CurveAnalyzer(options: run.isFinished ? options : options.whileTraining).diagnose(run.log)
        }
        // The run whose verdict is shown: the one training now, else the last selected.
        let focus = shown.last { !$0.isFinished } ?? shown.last
        let diagnosis = focus.flatMap { $0.log.isEmpty ? nil : diagnose($0) }
        let entries = runs.map { run in
            DashboardPayload.RunEntry(name: run.name, status: run.isFinished ? "finished" : (run.epochInProgress == nil && run.log.isEmpty ? "starting" : "training"),
                                      epochs: run.log.count, verdict: run.log.isEmpty ? nil : diagnose(run).verdict.title,
                                      selected: names.contains(run.name))
        }
        return DashboardPayload(title: title, subtitle: subtitle, status: status, progress: progressLine(), fraction: fraction,
                                runs: entries, curves: curves(shown, focus: focus, diagnosis: diagnosis), bands: bands(shown),
                                verdict: verdictHTML(focus, diagnosis: diagnosis, overlaid: shown.count),
                                numbers: numbersHTML(focus, diagnosis: diagnosis), perClass: perClass ?? "",
                                epochCount: focus?.log.count ?? 0)
    }

    var status: String {
        if isFolder { return "folder" }
        if runs.isEmpty { return "waiting" }
        return runs.count >= runsPlanned && runs.allSatisfy(\.isFinished) ? "finished" : "training"
    }

    // MARK: - Progress

    var fraction: Double {
        guard !isFolder, runsPlanned > 0 else { return 1 }
        let done = runs.filter(\.isFinished).count
        let current = runs.last { !$0.isFinished }?.fractionDone ?? 0
        return min(1, (Double(done) + current) / Double(runsPlanned))
    }

    func progressLine() -> String {
        if isFolder { return "\(runs.count) run\(runs.count == 1 ? "" : "s") in the folder" }
        guard let run = runs.last else { return "Waiting for training to start…" }
        var parts: [String] = []
        if runsPlanned > 1 { parts.append("Run \(runs.count)/\(runsPlanned)" + (run.name.isEmpty ? "" : " (\(run.name))")) }
        if run.isFinished {
            parts.append("finished \(run.log.count) epoch\(run.log.count == 1 ? "" : "s")"
                         + (run.totalSeconds.map { " in " + RunProgress.duration($0) } ?? ""))
        } else {
            let epoch = (run.epochInProgress ?? run.log.count) + 1
            parts.append("epoch \(min(epoch, max(run.epochsPlanned, epoch)))/\(run.epochsPlanned)")
            if run.stepsPerEpoch > 0, run.epochInProgress != nil { parts.append("batch \(run.batchesDone)/\(run.stepsPerEpoch)") }
            if let startedAt = run.startedAt { parts.append("elapsed " + RunProgress.duration(now - startedAt)) }
            if let remaining = run.remainingSeconds(now: now) { parts.append("ETA " + RunProgress.duration(remaining)) }
        }
        if runsPlanned > 1, let overall = overallRemaining() { parts.append("overall ETA " + RunProgress.duration(overall)) }
        if let rate = run.learningRate { parts.append("learning rate " + Self.number(rate)) }
        return parts.joined(separator: " · ")
    }

    /// The current run's remaining time plus the mean finished run (or this run's estimate) for each run not started.
    func overallRemaining() -> Double? {
        let finished = runs.filter(\.isFinished)
        let current = runs.last { !$0.isFinished }
        let currentLeft = current.flatMap { $0.remainingSeconds(now: now) } ?? 0
        let notStarted = max(0, runsPlanned - runs.count)
        if notStarted == 0 { return current == nil ? 0 : current?.remainingSeconds(now: now) }
        let perRun: Double?
        if !finished.isEmpty {
            perRun = finished.compactMap(\.totalSeconds).reduce(0, +) / Double(finished.count)
        } else if let current, let startedAt = current.startedAt, let left = current.remainingSeconds(now: now) {
            perRun = (now - startedAt) + left
        } else {
            perRun = nil
        }
        return perRun.map { currentLeft + $0 * Double(notStarted) }
    }

    // MARK: - Charts

    func curves(_ shown: [DashboardRun], focus: DashboardRun?, diagnosis: Diagnosis?) -> String {
        var extraLoss: [ChartSeries] = []
        var extraAccuracy: [ChartSeries] = []
        for (index, run) in shown.enumerated() where !run.isFinished && !run.partial.isEmpty {
            guard let epoch = run.epochInProgress else { continue }
            let color = shown.count == 1 ? ChartPalette.trainValidation(false) : ChartPalette.color(index)
            let label = (shown.count == 1 ? "" : run.name + " ") + "epoch \(epoch + 1) so far"
            let keys = [("loss", true)] + (accuracyKey(run).map { [($0, false)] } ?? [])
            for (key, isLoss) in keys {
                var x: [Double] = []
                var y: [Double] = []
                if let previous = run.log.values(key)?.last, previous.isFinite {
                    x.append(Double(epoch))
                    y.append(previous)
                }
                for sample in run.partial {
                    if let value = sample.logs[key], value.isFinite { x.append(sample.x); y.append(value) }
                }
                guard !y.isEmpty else { continue }
                let series = ChartSeries(name: "\(key) (\(label))", x: x, y: y, color: color, dashed: true)
                if isLoss { extraLoss.append(series) } else { extraAccuracy.append(series) }
            }
        }
        // The charts annotate (best epoch, overfitting region) their first run: the focus goes first, keeping its colour.
        var ordered = Array(shown.enumerated())
        if let index = ordered.firstIndex(where: { $0.element.name == focus?.name }) { ordered.insert(ordered.remove(at: index), at: 0) }
        let logs = ordered.map { (name: shown.count == 1 ? "" : $0.element.name, log: $0.element.log) }
        let colors = ordered.map { ChartPalette.color($0.offset) }
        let annotated = diagnosis
        if shown.isEmpty { return "<p class=\"note\">No run selected.</p>" }
        if shown.allSatisfy({ $0.log.isEmpty }) && extraLoss.isEmpty {
            return "<p class=\"note\">The curves appear when the first batches are done.</p>"
        }
        let drawn = shown.allSatisfy { $0.log.isEmpty } ? [(name: "", log: TrainingLog())] : logs
        return LearningCurveCharts.lossAndAccuracy(runs: drawn, diagnosis: annotated, extraLoss: extraLoss, extraAccuracy: extraAccuracy,
                                                   runColors: colors)
    }

    private func accuracyKey(_ run: DashboardRun) -> String? {
        let keys = Set(run.partial.last?.logs.keys.map { $0 } ?? []).union(run.log.metricNames)
        return Self.accuracyNames.first { keys.contains($0) }
    }

    func bands(_ shown: [DashboardRun]) -> String {
        let finished = shown.filter { $0.isFinished && !$0.log.isEmpty }
        // Over a folder, only runs of one experiment (one sub-folder, e.g. fit's history-seed<N>.json) share a band.
        if isFolder, Set(finished.map { ($0.name as NSString).deletingLastPathComponent }).count > 1 { return "" }
        guard finished.count >= 2, let summary = try? MultiRunAnalyzer(options: options).summarize(finished.map(\.log)) else { return "" }
        let sentences = summary.sentences.map { "<li>\(XMLEscape.text($0))</li>" }.joined()
        return "<h2>\(finished.count) finished runs</h2><ul>\(sentences)</ul><div class=\"chart\">\(LearningCurveCharts.multiRun(summary))</div>"
    }

    // MARK: - Verdict

    func verdictHTML(_ run: DashboardRun?, diagnosis: Diagnosis?, overlaid: Int) -> String {
        guard let run, let diagnosis else { return "<p class=\"note\">The verdict appears after the first epoch.</p>" }
        let report = HTMLReport(log: run.log, diagnosis: diagnosis, options: options)
        let html = overlaid > 1 ? "<p class=\"note\">Verdict of \(XMLEscape.text(run.name)).</p>" : ""
        var notes: [String] = []
        if diagnosis.verdict == .overfitting, let onset = diagnosis.overfittingOnsetEpoch, onset < run.log.count {
            var line = "Overfitting onset: epoch \(run.log.epochs[onset] + 1) (shaded in the charts)"
            if let seen = run.overfittingFirstSeen { line += "; first reported after epoch \(seen)" }
            notes.append(line + ".")
        }
        if !run.verdictChanges.isEmpty { notes.append("Verdict changes: " + run.verdictChanges.joined(separator: "; ") + ".") }
        let section = report.verdictSection(diagnosis)
        guard !notes.isEmpty, let open = section.range(of: "<section id=\"verdict\">") else { return html + section }
        // The onset and the verdict's changes go first in the verdict's card.
        let box = "<div class=\"\(diagnosis.verdict == .overfitting ? "onset" : "changes")\">" + notes.map { "<p>\(XMLEscape.text($0))</p>" }.joined() + "</div>"
        return html + section.replacingCharacters(in: open, with: "<section id=\"verdict\">" + box)
    }

    func numbersHTML(_ run: DashboardRun?, diagnosis: Diagnosis?) -> String {
        guard let run, let diagnosis else { return "" }
        return HTMLReport(log: run.log, diagnosis: diagnosis, options: options).numbersSection(run.log, diagnosis)
    }

    static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        return abs(value) >= 0.01 ? String(format: "%.4g", value) : String(format: "%.3g", value)
    }
}
