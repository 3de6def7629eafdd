import Foundation

/// A line chart drawn by hand as SVG: nice 1-2-5 ticks, light grid, legend above the plot,
/// title, axis labels; solid and dashed lines, bands, shaded regions and markers.
public struct LineChart: Sendable, Equatable {
    /// The title above the plot.
    public var title: String
    /// The x-axis label.
    public var xLabel: String
    /// The y-axis label.
    public var yLabel: String
    /// The lines.
    public var series: [ChartSeries]
    /// Regions, markers and reference lines.
    public var annotations: [ChartAnnotation]
    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double
    /// Whether x ticks are whole numbers (epochs).
    public var integerX: Bool
    /// Fixed y range, or nil to fit the data.
    public var yRange: ClosedRange<Double>?
    /// A value the fitted y axis does not pass when the data stay below it (1 for accuracy).
    public var yCeiling: Double?
    /// A logarithmic x axis (matplotlib's `plt.xscale('log')`): ticks at powers of ten; values ≤ 0 are not drawn.
    public var logX = false
    /// A logarithmic y axis (`plt.yscale('log')`); values ≤ 0 are not drawn.
    public var logY = false

    /// A chart; `width`×`height` defaults suit two charts side by side in a report.
    public init(title: String, xLabel: String = "Epoch", yLabel: String, series: [ChartSeries],
                annotations: [ChartAnnotation] = [], width: Double = 520, height: Double = 360,
                integerX: Bool = true, yRange: ClosedRange<Double>? = nil, yCeiling: Double? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.annotations = annotations
        self.width = width
        self.height = height
        self.integerX = integerX
        self.yRange = yRange
        self.yCeiling = yCeiling
    }

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        draw().document(width: width, height: height, title: title)
    }

    private struct Frame {
        let left: Double, top: Double, right: Double, bottom: Double
        let xScale: NiceScale, yScale: NiceScale
        var logX = false, logY = false
        func x(_ value: Double) -> Double {
            let position = logX ? log10(value) : value
            return left + (position - xScale.lower) / (xScale.upper - xScale.lower) * (right - left)
        }
        func y(_ value: Double) -> Double {
            let position = logY ? log10(value) : value
            return bottom - (position - yScale.lower) / (yScale.upper - yScale.lower) * (bottom - top)
        }
        /// The pixel of an x tick (ticks are already in axis units, log10 on a log axis).
        func tickX(_ tick: Double) -> Double { left + (tick - xScale.lower) / (xScale.upper - xScale.lower) * (right - left) }
        /// The pixel of a y tick.
        func tickY(_ tick: Double) -> Double { bottom - (tick - yScale.lower) / (yScale.upper - yScale.lower) * (bottom - top) }
        /// A tick's label: the tick itself, or on a log axis the power of ten it stands for.
        func label(_ tick: Double, scale: NiceScale, log: Bool) -> String {
            guard log else { return scale.label(tick) }
            let value = pow(10, tick)
            return value >= 1 ? String(format: "%.0f", value) : String(format: "%g", value)
        }
    }

    /// The series with the values a log axis cannot show (≤ 0) replaced by NaN, which breaks the line.
    private var logSafeSeries: [ChartSeries] {
        series.map { line in
            var line = line
            if logX { line.x = line.x.map { $0 > 0 ? $0 : .nan } }
            if logY {
                line.y = line.y.map { $0 > 0 ? $0 : .nan }
                line.bandLower = line.bandLower?.map { $0 > 0 ? $0 : .nan }
                line.bandUpper = line.bandUpper?.map { $0 > 0 ? $0 : .nan }
            }
            return line
        }
    }

    /// The chart's elements, for embedding in a larger SVG.
    func draw() -> SVGWriter {
        if logX || logY, logSafeSeries != series {
            var safe = self
            safe.series = logSafeSeries
            return safe.draw()
        }
        var svg = SVGWriter()
        let legendRows = legendLayout()
        let top = 40 + Double(legendRows.count) * 18 + 6
        let frame = makeFrame(top: top)
        svg.text(title, width / 2, 22, size: 15, anchor: .middle, weight: "600")
        drawGrid(&svg, frame)
        drawRegions(&svg, frame)
        drawBands(&svg, frame)
        drawLines(&svg, frame)
        drawMarkers(&svg, frame)
        drawAxes(&svg, frame)
        drawLegend(&svg, rows: legendRows)
        return svg
    }

    private func makeFrame(top: Double) -> Frame {
        var xs = series.flatMap(\.x).filter(\.isFinite)
        var ys = series.flatMap { $0.y + ($0.bandLower ?? []) + ($0.bandUpper ?? []) }.filter(\.isFinite)
        for case .horizontalLine(let y, _, _) in annotations { ys.append(y) }
        if logX { xs = xs.filter { $0 > 0 }.map(log10) }
        if logY { ys = ys.filter { $0 > 0 }.map(log10) }
        let xScale = NiceScale(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, targetTickCount: 8, integerSteps: integerX || logX)
        let yScale: NiceScale
        if let yRange {
            yScale = logY ? NiceScale(minimum: log10(max(yRange.lowerBound, 1e-12)), maximum: log10(max(yRange.upperBound, 1e-12)), integerSteps: true)
                : NiceScale(minimum: yRange.lowerBound, maximum: yRange.upperBound)
        } else if logY {
            yScale = NiceScale(minimum: (ys.min() ?? 0).rounded(.down), maximum: (ys.max() ?? 1).rounded(.up), integerSteps: true)
        } else {
            let low = ys.min() ?? 0
            let high = ys.max() ?? 1
            let pad = (high - low) * 0.04
            // Padding never pushes non-negative data below 0, nor data under the ceiling above it.
            var paddedLow = low >= 0 ? max(0, low - pad) : low - pad
            var paddedHigh = high + pad
            if let yCeiling, high <= yCeiling { paddedHigh = min(paddedHigh, yCeiling) }
            if paddedHigh - paddedLow < 1e-12 { paddedLow -= 0.5; paddedHigh += 0.5 }
            yScale = NiceScale(minimum: paddedLow, maximum: paddedHigh)
        }
        // Plots start at the first data epoch rather than at a rounded-down tick.
        let exactEnds = integerX || logX
        let xLow = exactEnds ? (xs.min() ?? xScale.lower) : xScale.lower
        let xHigh = exactEnds ? max(xs.max() ?? xScale.upper, xLow + (logX ? 0.1 : 1)) : xScale.upper
        let adjustedX = NiceScale(exactLower: xLow, upper: xHigh, from: xScale)
        return Frame(left: 66, top: top, right: width - 18, bottom: height - 48, xScale: adjustedX, yScale: yScale, logX: logX, logY: logY)
    }

    private func drawGrid(_ svg: inout SVGWriter, _ frame: Frame) {
        for tick in frame.yScale.ticks {
            let y = frame.tickY(tick)
            svg.line(frame.left, y, frame.right, y, stroke: ChartPalette.grid)
            svg.text(frame.label(tick, scale: frame.yScale, log: logY), frame.left - 7, y + 4, size: 11, anchor: .end, fill: ChartPalette.mutedText)
        }
        for tick in frame.xScale.ticks where tick >= frame.xScale.lower - 1e-9 && tick <= frame.xScale.upper + 1e-9 {
            let x = frame.tickX(tick)
            svg.line(x, frame.top, x, frame.bottom, stroke: ChartPalette.grid)
            svg.text(frame.label(tick, scale: frame.xScale, log: logX), x, frame.bottom + 16, size: 11, anchor: .middle, fill: ChartPalette.mutedText)
        }
    }

    private func drawAxes(_ svg: inout SVGWriter, _ frame: Frame) {
        svg.line(frame.left, frame.bottom, frame.right, frame.bottom, stroke: ChartPalette.axis)
        svg.line(frame.left, frame.top, frame.left, frame.bottom, stroke: ChartPalette.axis)
        svg.text(xLabel, (frame.left + frame.right) / 2, height - 12, size: 12, anchor: .middle)
        let middle = (frame.top + frame.bottom) / 2
        svg.text(yLabel, 16, middle, size: 12, anchor: .middle, rotation: -90)
    }

    private func drawRegions(_ svg: inout SVGWriter, _ frame: Frame) {
        for case .region(let from, let to, let label, let color) in annotations {
            let x1 = max(frame.left, frame.x(from))
            let x2 = min(frame.right, frame.x(to))
            guard x2 > x1 else { continue }
            svg.rect(x1, frame.top, x2 - x1, frame.bottom - frame.top, fill: color, opacity: 0.08)
            svg.text(label, x1 + 5, frame.top + 14, size: 11, fill: color, italic: true, halo: true)
        }
    }

    private func drawBands(_ svg: inout SVGWriter, _ frame: Frame) {
        for line in series {
            guard let lower = line.bandLower, let upper = line.bandUpper else { continue }
            let points = line.x.indices.filter { index in
                index < lower.count && index < upper.count && lower[index].isFinite && upper[index].isFinite
            }
            guard points.count > 1 else { continue }
            let top = PolylineThinning.thinned(points.map { (frame.x(line.x[$0]), frame.y(upper[$0])) })
            let bottom = PolylineThinning.thinned(points.map { (frame.x(line.x[$0]), frame.y(lower[$0])) })
            var data = top.enumerated().map { order, point in
                "\(order == 0 ? "M" : "L")\(SVGWriter.number(point.x)) \(SVGWriter.number(point.y))"
            }
            data += bottom.reversed().map { point in "L\(SVGWriter.number(point.x)) \(SVGWriter.number(point.y))" }
            svg.path(data.joined(separator: " ") + " Z", stroke: nil, fill: line.color, opacity: 0.16)
        }
    }

    private func drawLines(_ svg: inout SVGWriter, _ frame: Frame) {
        for line in series {
            // Runs of finite points, each a sub-path (a NaN epoch lifts the pen), thinned per pixel column.
            var runs: [[(x: Double, y: Double)]] = [[]]
            var pointCount = 0
            for (x, y) in zip(line.x, line.y) {
                guard x.isFinite, y.isFinite else {
                    if !(runs.last?.isEmpty ?? true) { runs.append([]) }
                    continue
                }
                runs[runs.count - 1].append((frame.x(x), frame.y(y)))
                pointCount += 1
            }
            var data = ""
            for run in runs {
                for (order, point) in PolylineThinning.thinned(run).enumerated() {
                    data += "\(order == 0 ? "M" : "L")\(SVGWriter.number(point.x)) \(SVGWriter.number(point.y)) "
                }
            }
            guard pointCount > 0 else { continue }
            svg.path(data.trimmingCharacters(in: .whitespaces), stroke: line.color, width: 2,
                     dash: line.dashed ? "7 4" : nil, label: line.name)
            if pointCount == 1, let index = line.x.indices.first(where: { index in
                index < line.y.count && line.x[index].isFinite && line.y[index].isFinite }) {
                svg.circle(frame.x(line.x[index]), frame.y(line.y[index]), radius: 3, fill: line.color)
            }
        }
    }

    /// The curves in pixels, for placing labels off them.
    private func polylines(_ frame: Frame) -> [[(x: Double, y: Double)]] {
        series.map { line in
            zip(line.x, line.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (frame.x($0.0), frame.y($0.1)) }
        }
    }

    private func drawMarkers(_ svg: inout SVGWriter, _ frame: Frame) {
        // Each label goes where no curve runs through it: vertical-line labels at the bottom or the top
        // of the plot (further rows when taken), point labels above or below, left or right of the point.
        var placement = LabelPlacement(polylines: polylines(frame),
                                       bounds: .init(minX: frame.left, minY: frame.top, maxX: frame.right, maxY: frame.bottom))
        for case .region(let from, _, let label, _) in annotations {
            placement.reserve(.init(text: label, x: max(frame.left, frame.x(from)) + 5, y: frame.top + 14, size: 11, anchor: .start))
        }
        for annotation in annotations {
            switch annotation {
            case .verticalLine(let x, let label, let color, let dashed):
                let position = frame.x(x)
                guard position >= frame.left - 0.5, position <= frame.right + 0.5 else { continue }
                svg.line(position, frame.top, position, frame.bottom, stroke: color, width: 1.2, dash: dashed ? "3 3" : nil)
                let labelWidth = Double(label.count) * 6 + 4
                let nearRight = position > frame.right - labelWidth - 4
                let anchor: SVGWriter.Anchor = nearRight ? .end : .start
                let labelX = position + (nearRight ? -4 : 4)
                var baselines: [Double] = []
                for row in 0..<3 {
                    let offset = Double(row) * 13
                    baselines += [frame.bottom - 6 - offset, frame.top + 24 + offset]
                }
                let boxes = baselines.map { LabelPlacement.Box(text: label, x: labelX, y: $0, size: 10, anchor: anchor) }
                let chosen = placement.choose(boxes)
                svg.text(label, labelX, baselines[chosen], size: 10, anchor: anchor, fill: color, halo: true)
            case .horizontalLine(let y, let label, let color):
                let position = frame.y(y)
                svg.line(frame.left, position, frame.right, position, stroke: color, width: 1.2, dash: "5 3")
                if !label.isEmpty {
                    let spots: [(x: Double, y: Double, anchor: SVGWriter.Anchor)] = [
                        (frame.right - 4, position - 5, .end), (frame.left + 4, position - 5, .start),
                        (frame.right - 4, position + 13, .end), (frame.left + 4, position + 13, .start)]
                    let boxes = spots.map { LabelPlacement.Box(text: label, x: $0.x, y: $0.y, size: 10, anchor: $0.anchor) }
                    let chosen = placement.choose(boxes)
                    svg.text(label, spots[chosen].x, spots[chosen].y, size: 10, anchor: spots[chosen].anchor, fill: color, halo: true)
                }
            case .point(let x, let y, let label, let color):
                let px = frame.x(x)
                let py = frame.y(y)
                svg.circle(px, py, radius: 5, fill: "#ffffff", stroke: color)
                let spots: [(x: Double, y: Double, anchor: SVGWriter.Anchor)] = [
                    (px + 9, py - 9, .start), (px - 9, py - 9, .end), (px + 9, py + 18, .start), (px - 9, py + 18, .end),
                    (px - 9, py - 24, .end), (px - 9, py + 32, .end), (px + 9, py - 24, .start), (px + 9, py + 32, .start)]
                let boxes = spots.map { LabelPlacement.Box(text: label, x: $0.x, y: $0.y, size: 11, anchor: $0.anchor) }
                let chosen = placement.choose(boxes)
                svg.text(label, spots[chosen].x, spots[chosen].y, size: 11, anchor: spots[chosen].anchor,
                         weight: "600", fill: color, halo: true)
            case .region:
                continue
            }
        }
    }

    private struct LegendEntry { let name: String; let color: String; let dashed: Bool; let band: Bool }

    /// Legend entries flowed into rows that fit the chart width.
    private func legendLayout() -> [[(entry: LegendEntry, x: Double)]] {
        let entries = series.filter(\.inLegend).map {
            LegendEntry(name: $0.name, color: $0.color, dashed: $0.dashed, band: $0.bandLower != nil)
        }
        var rows: [[(entry: LegendEntry, x: Double)]] = []
        var row: [(entry: LegendEntry, x: Double)] = []
        var cursor = 66.0
        for entry in entries {
            let entryWidth = 30 + Double(entry.name.count) * 6.6 + 18
            if cursor + entryWidth > width - 10, !row.isEmpty {
                rows.append(row)
                row = []
                cursor = 66
            }
            row.append((entry, cursor))
            cursor += entryWidth
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    private func drawLegend(_ svg: inout SVGWriter, rows: [[(entry: LegendEntry, x: Double)]]) {
        for (rowIndex, row) in rows.enumerated() {
            let y = 42 + Double(rowIndex) * 18
            for item in row {
                if item.entry.band {
                    svg.rect(item.x, y - 6, 24, 12, fill: item.entry.color, opacity: 0.16)
                }
                svg.line(item.x, y, item.x + 24, y, stroke: item.entry.color, width: 2, dash: item.entry.dashed ? "7 4" : nil)
                svg.text(item.entry.name, item.x + 30, y + 4, size: 11)
            }
        }
    }
}
