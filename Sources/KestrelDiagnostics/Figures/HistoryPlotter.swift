import Foundation

/// Several training histories overlaid in one chart as the Keras "Overfit and underfit" tutorial draws
/// them with `tfdocs.plots.HistoryPlotter(metric=…, smoothing_std=…)`: one colour per model, training solid
/// ("Tiny Train"), validation dashed ("Tiny Val"), optionally Gaussian-smoothed, on linear or logarithmic
/// axes (`plt.xscale('log')`), within an optional y range (`plt.ylim`).
///
/// ```swift
/// var plotter = HistoryPlotter(metric: "binary_crossentropy", smoothingStd: 10)
/// plotter.logX = true
/// plotter.yRange = 0.5...0.7
/// try plotter.figure([("Tiny", tinyLog), ("Small", smallLog)]).write(to: "sizes.png")
/// ```
public struct HistoryPlotter: Sendable, Equatable {
    /// The metric drawn: `metric` for training and `val_` + `metric` for validation.
    public var metric: String
    /// The standard deviation, in epochs, of the Gaussian smoothing (tfdocs' `smoothing_std`); nil or 0 draws raw values.
    public var smoothingStd: Double?
    /// A logarithmic epoch axis (the tutorial's "Epochs [Log Scale]").
    public var logX = false
    /// A logarithmic metric axis.
    public var logY = false
    /// The visible metric range (`plt.ylim`); values outside it are not drawn. Nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// The chart's title; nil uses the metric's name.
    public var title: String?
    /// The x-axis label; nil writes "Epochs" (with "[Log Scale]" on a log axis, as the tutorial labels it).
    public var xLabel: String?
    /// Width and height in pixels.
    public var width = 760.0, height = 460.0

    /// A plotter of `metric` ("loss", "binary_crossentropy", "accuracy"…), smoothed by `smoothingStd` epochs.
    public init(metric: String = "loss", smoothingStd: Double? = nil) {
        self.metric = metric
        self.smoothingStd = smoothingStd
    }

    /// The overlaid chart of `runs` (name and log, in legend order). Throws when a log lacks the metric,
    /// naming the run and the metrics it has.
    public func chart(_ runs: [(name: String, log: TrainingLog)]) throws -> LineChart {
        guard !runs.isEmpty else { throw FigureError(message: "HistoryPlotter: no histories to plot; pass at least one (name, log)") }
        if let smoothingStd, !(smoothingStd >= 0 && smoothingStd.isFinite) {
            throw FigureError(message: "HistoryPlotter: smoothingStd must be a finite number ≥ 0, got \(smoothingStd)")
        }
        var series: [ChartSeries] = []
        for (index, run) in runs.enumerated() {
            let color = ChartPalette.color(index)
            guard let training = run.log.values(metric) else {
                if run.log.metricNames.contains(metric) {
                    throw FigureError(message: "HistoryPlotter: the history '\(run.name)' has no number for '\(metric)' (every value is NaN or missing), so there is no curve to draw; plot another metric")
                }
                throw FigureError(message: "HistoryPlotter: the history '\(run.name)' has no '\(metric)'; it has \(run.log.metricNames.joined(separator: ", "))")
            }
            let epochs = run.log.epochs.map { Double($0 + (run.log.epochs.first == 0 ? 1 : 0)) }
            series.append(ChartSeries(name: "\(run.name) Train", x: epochs, y: shown(smoothed(training)), color: color))
            if let validation = run.log.values("val_" + metric) {
                series.append(ChartSeries(name: "\(run.name) Val", x: epochs, y: shown(smoothed(validation)), color: color, dashed: true))
            }
        }
        var chart = LineChart(title: title ?? metric.replacingOccurrences(of: "_", with: " ").capitalized,
                              xLabel: xLabel ?? (logX ? "Epochs [Log Scale]" : "Epochs"),
                              yLabel: metric.replacingOccurrences(of: "_", with: " ").capitalized,
                              series: series, width: width, height: height, yRange: yRange)
        chart.logX = logX
        chart.logY = logY
        return chart
    }

    /// The chart as a `Figure` (write it as `.svg` or `.png`).
    public func figure(_ runs: [(name: String, log: TrainingLog)]) throws -> Figure {
        Figure(svg: try chart(runs).svg())
    }

    /// Values outside `yRange` become NaN so that the line stops at the frame instead of crossing it.
    private func shown(_ values: [Double]) -> [Double] {
        guard let yRange else { return values }
        return values.map { yRange.contains($0) ? $0 : .nan }
    }

    /// Gaussian smoothing over epochs with weights renormalised at the ends (what tfdocs' plotter does
    /// with `scipy.ndimage.gaussian_filter1d`-like smoothing; NaN epochs are skipped).
    func smoothed(_ values: [Double]) -> [Double] {
        guard let sigma = smoothingStd, sigma > 0, values.count > 1 else { return values }
        // Four standard deviations, at most the whole run (a huge `smoothingStd` must not overflow the Int).
        let reach = (4 * sigma).rounded(.up)
        let radius = reach < Double(values.count) ? Int(reach) : values.count
        let weights = (0...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        return values.indices.map { center in
            var total = 0.0, weightSum = 0.0
            for index in max(0, center - radius)...min(values.count - 1, center + radius) where values[index].isFinite {
                let weight = weights[abs(index - center)]
                total += weight * values[index]
                weightSum += weight
            }
            return weightSum > 0 ? total / weightSum : .nan
        }
    }
}
