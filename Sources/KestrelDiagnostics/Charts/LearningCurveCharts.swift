import Foundation

/// The standard learning-curve pictures as SVG: loss and accuracy side by side, the
/// generalisation gap, multi-run bands and variant overlays.
///
/// Conventions: x is the epoch, 1-based as Keras prints it; training curves are solid,
/// validation curves dashed; one run draws training in matplotlib's blue and validation in its
/// orange, several runs one colour each; the best epoch is marked, the overfitting region shaded,
/// learning-rate changes drawn as dotted lines.
public enum LearningCurveCharts {
    /// Loss (left) and accuracy (right) of one run, annotated from its diagnosis.
    public static func lossAndAccuracy(log: TrainingLog, diagnosis: Diagnosis? = nil) -> String {
        lossAndAccuracy(runs: [(name: "", log: log)], diagnosis: diagnosis)
    }

    /// Loss and accuracy of several runs overlaid (one colour per run). The annotations
    /// (best epoch, overfitting region, learning-rate changes) come from `diagnosis` and the first run.
    public static func lossAndAccuracy(runs: [(name: String, log: TrainingLog)], diagnosis: Diagnosis? = nil) -> String {
        lossAndAccuracy(runs: runs, diagnosis: diagnosis, extraLoss: [], extraAccuracy: [])
    }

    /// Loss and accuracy of several runs with extra lines drawn in the panels, e.g. the live dashboard's
    /// running averages of the epoch in progress (x = epoch + fraction of its batches done). `runColors` gives
    /// each run's colour when there are several (ChartPalette's order otherwise).
    public static func lossAndAccuracy(runs: [(name: String, log: TrainingLog)], diagnosis: Diagnosis?,
                                       extraLoss: [ChartSeries], extraAccuracy: [ChartSeries], runColors: [String]? = nil) -> String {
        let panels = curvePanels(runs: runs, diagnosis: diagnosis, extraLoss: extraLoss, extraAccuracy: extraAccuracy,
                                 runColors: runColors)
        return row(panels, title: "Learning curves")
    }

    /// Several runs overlaid, loss and accuracy side by side, under one legend spanning both
    /// panels: one entry per run (its colour), and a key for the line styles (training solid,
    /// validation dashed). The legend sits above the plots, in rows measured to fit the width (a
    /// name too long for a whole row is shortened with "…"), so no label overlaps another label
    /// or a curve. One run falls back to `lossAndAccuracy(log:)`.
    public static func overlaid(runs: [(name: String, log: TrainingLog)], title: String = "Runs overlaid") -> String {
        guard runs.count > 1 else { return runs.first.map { lossAndAccuracy(log: $0.log) } ?? "" }
        var panels = curvePanels(runs: runs, diagnosis: nil)
        for panel in panels.indices {
            for line in panels[panel].series.indices { panels[panel].series[line].inLegend = false }
        }
        let width = max(520, panels.map(\.width).reduce(0, +))
        let entries = [OverlayLegendEntry(name: "training (solid)", color: ChartPalette.mutedText, dashed: false),
                       OverlayLegendEntry(name: "validation (dashed)", color: ChartPalette.mutedText, dashed: true)]
            + runs.enumerated().map { OverlayLegendEntry(name: $0.element.name, color: ChartPalette.color($0.offset), dashed: false) }
        let layout = OverlayLegendEntry.layout(entries, left: 66, right: width - 18)
        var svg = SVGWriter()
        for item in layout.items {
            let y = 20 + Double(item.row) * OverlayLegendEntry.rowHeight
            svg.line(item.x, y - 4, item.x + 26, y - 4, stroke: item.entry.color, width: 2.5, dash: item.entry.dashed ? "7 4" : nil)
            svg.text(item.text, item.x + 32, y, size: OverlayLegendEntry.fontSize, maximumWidth: item.textWidth)
        }
        let legendHeight = 12 + Double(layout.rows) * OverlayLegendEntry.rowHeight
        var offset = 0.0
        for panel in panels {
            svg.append(panel.draw(), dx: offset, dy: legendHeight)
            offset += panel.width
        }
        return svg.document(width: width, height: legendHeight + (panels.map(\.height).max() ?? 100), title: title)
    }

    /// The generalisation gap per epoch: train − validation accuracy and validation − train
    /// loss (positive = validation worse), with the overfitting threshold.
    public static func gap(log: TrainingLog, diagnosis: Diagnosis, options: DiagnosisOptions = DiagnosisOptions()) -> String {
        let x = xValues(log)
        var series: [ChartSeries] = []
        if let gap = diagnosis.accuracyGap {
            series.append(ChartSeries(name: "accuracy gap (train − val)", x: x, y: gap, color: ChartPalette.color(0)))
        }
        if let gap = diagnosis.lossGap {
            series.append(ChartSeries(name: "loss gap (val − train)", x: x, y: gap, color: ChartPalette.color(1)))
        }
        var annotations: [ChartAnnotation] = [.horizontalLine(y: 0, label: "", color: "#888888")]
        if diagnosis.accuracyGap != nil {
            annotations.append(.horizontalLine(y: options.accuracyGapThreshold,
                                               label: "accuracy-gap threshold \(DiagnosticsFormat.number(options.accuracyGapThreshold))",
                                               color: ChartPalette.overfittingFill))
        }
        annotations += overfittingRegion(log: log, diagnosis: diagnosis)
        return LineChart(title: "Generalisation gap", yLabel: "Gap (validation worse ↑)", series: series,
                         annotations: annotations, width: 1040, height: 300).svg()
    }

    /// Mean ± 95 % CI half-width over runs: loss (left) and accuracy (right).
    public static func multiRun(_ summary: MultiRunSummary, title: String = "Mean ± 95% CI over runs") -> String {
        let keys = bandKeys(summary)
        var panels: [LineChart] = []
        for (panelTitle, names) in [("Loss", keys.loss), ("Accuracy", keys.accuracy)] {
            let series = names.enumerated().compactMap { order, name -> ChartSeries? in
                guard let band = summary.band(name) else { return nil }
                return bandSeries(band, label: "\(name) (n = \(summary.runCount))", color: ChartPalette.trainValidation(order == 1),
                                  dashed: order == 1)
            }
            if !series.isEmpty {
                panels.append(LineChart(title: panelTitle, yLabel: panelTitle, series: series,
                                        yCeiling: panelTitle == "Accuracy" ? 1 : nil))
            }
        }
        return row(panels, title: title)
    }

    /// Variants overlaid: one colour per variant, training mean solid, validation mean dashed
    /// with its ± 95 % CI band.
    public static func variants(_ comparison: VariantComparison) -> String {
        var lossSeries: [ChartSeries] = []
        var accuracySeries: [ChartSeries] = []
        for (index, variant) in comparison.variants.enumerated() {
            let color = ChartPalette.color(index)
            let keys = bandKeys(variant.summary)
            func series(_ names: [String]) -> [ChartSeries] {
                names.enumerated().compactMap { order, name in
                    variant.summary.band(name).map { bandSeries($0, label: "\(variant.name) \(order == 0 ? "train" : "val")",
                                                                color: color, dashed: order == 1, withBand: order == 1) }
                }
            }
            lossSeries += series(keys.loss)
            accuracySeries += series(keys.accuracy)
        }
        var panels: [LineChart] = []
        if !lossSeries.isEmpty { panels.append(LineChart(title: "Loss by variant", yLabel: "Loss", series: lossSeries)) }
        if !accuracySeries.isEmpty {
            panels.append(LineChart(title: "Accuracy by variant", yLabel: "Accuracy", series: accuracySeries, yCeiling: 1))
        }
        return row(panels, title: "Variants")
    }

    // MARK: - Building blocks

    static func xValues(_ log: TrainingLog) -> [Double] { log.epochs.map { Double($0 + 1) } }

    private static func curvePanels(runs: [(name: String, log: TrainingLog)], diagnosis: Diagnosis?,
                                    extraLoss: [ChartSeries] = [], extraAccuracy: [ChartSeries] = [],
                                    runColors: [String]? = nil) -> [LineChart] {
        guard let first = runs.first?.log else { return [] }
        let keys = MetricKeys(first)
        var lossSeries: [ChartSeries] = []
        var accuracySeries: [ChartSeries] = []
        for (index, run) in runs.enumerated() {
            let runKeys = MetricKeys(run.log)
            let prefix = run.name.isEmpty ? "" : run.name + " "
            let x = xValues(run.log)
            for (name, dashed, target) in [(runKeys.loss, false, 0), (runKeys.validationLoss, true, 0),
                                           (runKeys.accuracy, false, 1), (runKeys.validationAccuracy, true, 1)] {
                guard let name, let values = run.log.values(name) else { continue }
                let color = runs.count == 1 ? ChartPalette.trainValidation(dashed)
                    : (runColors.flatMap { index < $0.count ? $0[index] : nil } ?? ChartPalette.color(index))
                let series = ChartSeries(name: prefix + name, x: x, y: values, color: color, dashed: dashed)
                if target == 0 { lossSeries.append(series) } else { accuracySeries.append(series) }
            }
        }
        if lossSeries.isEmpty && accuracySeries.isEmpty {
            // Neither losses nor accuracies: plot whatever was logged, in one panel.
            let names = first.metricNames.filter { $0 != keys.learningRate }
            lossSeries = names.enumerated().compactMap { index, name in
                first.values(name).map { ChartSeries(name: name, x: xValues(first), y: $0, color: ChartPalette.color(index),
                                                     dashed: name.hasPrefix("val_")) }
            }
        }
        lossSeries += extraLoss
        accuracySeries += extraAccuracy
        var common: [ChartAnnotation] = []
        var lossMarks: [ChartAnnotation] = []
        var accuracyMarks: [ChartAnnotation] = []
        if let diagnosis {
            common += overfittingRegion(log: first, diagnosis: diagnosis)
            if let best = diagnosis.bestEpoch, best < first.count, let monitor = diagnosis.monitor, let value = diagnosis.bestValue {
                let x = Double(first.epochs[best] + 1)
                common.append(.verticalLine(x: x, label: "best epoch \(first.epochs[best] + 1)", color: "#555555", dashed: true))
                let onValidation = runs.count == 1 && monitor.hasPrefix("val_")
                let mark = ChartAnnotation.point(x: x, y: value, label: "best \(monitor) \(DiagnosticsFormat.number(value))",
                                                 color: ChartPalette.trainValidation(onValidation))
                if MetricOrientation.inferred(for: monitor) == .maximize { accuracyMarks.append(mark) } else { lossMarks.append(mark) }
            }
        }
        common += learningRateMarks(first)
        var panels: [LineChart] = []
        if !lossSeries.isEmpty {
            panels.append(LineChart(title: "Loss", yLabel: "Loss", series: lossSeries, annotations: common + lossMarks))
        }
        if !accuracySeries.isEmpty {
            panels.append(LineChart(title: "Accuracy", yLabel: "Accuracy", series: accuracySeries,
                                    annotations: common + accuracyMarks, yCeiling: 1))
        }
        return panels
    }

    static func overfittingRegion(log: TrainingLog, diagnosis: Diagnosis) -> [ChartAnnotation] {
        guard diagnosis.verdict == .overfitting, let onset = diagnosis.overfittingOnsetEpoch, onset < log.count,
              let last = log.epochs.last else { return [] }
        return [.region(from: Double(log.epochs[onset] + 1) - 0.5, to: Double(last + 1), label: "overfitting",
                        color: ChartPalette.overfittingFill)]
    }

    static func learningRateMarks(_ log: TrainingLog) -> [ChartAnnotation] {
        guard let name = MetricKeys(log).learningRate, let rates = log.values(name) else { return [] }
        var marks: [ChartAnnotation] = []
        for index in rates.indices.dropFirst() where rates[index].isFinite && rates[index - 1].isFinite {
            let previous = rates[index - 1]
            if abs(rates[index] - previous) > 1e-12 * max(1, abs(previous)) {
                marks.append(.verticalLine(x: Double(log.epochs[index] + 1),
                                           label: "lr \(DiagnosticsFormat.number(rates[index]))",
                                           color: ChartPalette.color(4), dashed: true))
            }
        }
        return marks
    }

    private static func bandKeys(_ summary: MultiRunSummary) -> (loss: [String], accuracy: [String]) {
        let names = Set(summary.bands.map(\.metric))
        let loss = ["loss", "val_loss"].filter(names.contains)
        let accuracyName = MetricKeys.accuracyNames.first { names.contains($0) || names.contains("val_" + $0) }
        let accuracy = accuracyName.map { [$0, "val_" + $0].filter(names.contains) } ?? []
        return (loss, accuracy)
    }

    private static func bandSeries(_ band: MetricBand, label: String, color: String, dashed: Bool,
                                   withBand: Bool = true) -> ChartSeries {
        let x = band.mean.indices.map { Double($0 + 1) }
        // A band never leaves the metric's possible range: losses ≥ 0, accuracies within 0…1.
        let finiteMeans = band.mean.filter(\.isFinite)
        let floor = (finiteMeans.min() ?? -1) >= 0 ? 0 : -Double.infinity
        let isFraction = MetricOrientation.inferred(for: band.metric) == .maximize && (finiteMeans.max() ?? 2) <= 1
        let ceiling = isFraction ? 1 : Double.infinity
        let halfWidth = band.halfWidth
        let lower = zip(band.mean, halfWidth).map { max(floor, $0 - $1) }
        let upper = zip(band.mean, halfWidth).map { min(ceiling, $0 + $1) }
        return ChartSeries(name: label + (withBand ? " ± 95% CI" : ""), x: x, y: band.mean, color: color, dashed: dashed,
                           bandLower: withBand ? lower : nil, bandUpper: withBand ? upper : nil)
    }

    /// Charts placed side by side in one SVG document.
    static func row(_ charts: [LineChart], title: String) -> String {
        var svg = SVGWriter()
        var offset = 0.0
        for chart in charts {
            svg.append(chart.draw(), dx: offset, dy: 0)
            offset += chart.width
        }
        let height = charts.map(\.height).max() ?? 100
        return svg.document(width: max(offset, 200), height: height, title: title)
    }
}

/// One entry of `LearningCurveCharts.overlaid`'s legend, and the flow of entries into rows.
struct OverlayLegendEntry {
    static let fontSize = 12.0
    /// A generous width per character (sans-serif capitals and symbols are wider than the average).
    static let characterWidth = fontSize * 0.62
    static let rowHeight = 20.0
    /// Swatch and gap before the text, and the space after it.
    static let lead = 32.0, trail = 24.0

    let name: String
    let color: String
    let dashed: Bool

    /// Entries flowed into rows between `left` and `right`: each placed item with its (possibly
    /// shortened) text and the width that text may take; no two items share any horizontal space.
    static func layout(_ entries: [OverlayLegendEntry], left: Double, right: Double)
        -> (items: [(entry: OverlayLegendEntry, text: String, x: Double, row: Int, textWidth: Double)], rows: Int) {
        let available = max(characterWidth * 4, right - left - lead - trail)
        var items: [(entry: OverlayLegendEntry, text: String, x: Double, row: Int, textWidth: Double)] = []
        var row = 0
        var cursor = left
        for entry in entries {
            var text = entry.name
            let fitting = Int(available / characterWidth)
            if text.count > fitting { text = String(text.prefix(max(1, fitting - 1))) + "…" }
            let textWidth = Double(text.count) * characterWidth
            let width = lead + textWidth + trail
            if cursor + width > right, cursor > left {
                row += 1
                cursor = left
            }
            items.append((entry, text, cursor, row, textWidth))
            cursor += width
        }
        return (items, items.isEmpty ? 0 : row + 1)
    }
}
