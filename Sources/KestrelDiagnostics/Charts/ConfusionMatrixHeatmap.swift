import Foundation

/// A confusion matrix drawn as an SVG heatmap: rows true class, columns predicted class,
/// cell colour by the fraction of the true class (matplotlib's "Blues"), count in each cell,
/// class names on both axes.
public struct ConfusionMatrixHeatmap: Sendable {
    /// The matrix drawn.
    public var matrix: ConfusionMatrix
    /// The title above it.
    public var title: String

    /// A heatmap of `matrix`.
    public init(matrix: ConfusionMatrix, title: String = "Confusion matrix") {
        self.matrix = matrix
        self.title = title
    }

    /// Interpolates matplotlib's "Blues" between its light and dark ends.
    static func blues(_ fraction: Double) -> String {
        let stops: [(Double, Double, Double)] = [(247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107)]
        let t = min(1, max(0, fraction.isFinite ? fraction : 0)) * Double(stops.count - 1)
        let index = min(Int(t), stops.count - 2)
        let local = t - Double(index)
        let a = stops[index]
        let b = stops[index + 1]
        func channel(_ from: Double, _ to: Double) -> Int { Int((from + (to - from) * local).rounded()) }
        return String(format: "#%02x%02x%02x", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }

    /// The heatmap as a standalone SVG document.
    public func svg() -> String {
        let count = matrix.classCount
        let cell = max(18, min(58, 460 / Double(max(count, 1))))
        let longest = Double(matrix.classNames.map(\.count).max() ?? 1)
        let labelWidth = min(160, 12 + longest * 7)
        let rotateColumns = longest * 7 > cell - 4
        let columnLabelHeight = rotateColumns ? min(140, 10 + longest * 5.2) : 20
        let left = 34 + labelWidth
        let top = 46.0
        let gridSize = cell * Double(count)
        let width = left + gridSize + 24
        let height = top + gridSize + columnLabelHeight + 34
        let fontSize = max(8, min(13, cell * 0.3))
        var svg = SVGWriter()
        svg.text(title, width / 2, 24, size: 15, anchor: .middle, weight: "600")
        for row in 0..<count {
            let support = matrix.counts[row].reduce(0, +)
            for column in 0..<count {
                let value = matrix.counts[row][column]
                let fraction = support == 0 ? 0 : Double(value) / Double(support)
                let x = left + Double(column) * cell
                let y = top + Double(row) * cell
                let tooltip = "true \(matrix.classNames[row]) → predicted \(matrix.classNames[column]): \(value) (\(String(format: "%.1f", fraction * 100))% of \(matrix.classNames[row]))"
                svg.rect(x, y, cell, cell, fill: Self.blues(fraction), stroke: "#ffffff", title: tooltip)
                svg.text("\(value)", x + cell / 2, y + cell / 2 + fontSize * 0.35, size: fontSize, anchor: .middle,
                         weight: row == column ? "600" : nil, fill: fraction > 0.5 ? "#ffffff" : "#1a1a1a")
            }
            svg.text(matrix.classNames[row], left - 6, top + (Double(row) + 0.5) * cell + 4, size: 11, anchor: .end)
        }
        for column in 0..<count {
            let x = left + (Double(column) + 0.5) * cell
            let y = top + gridSize + 14
            if rotateColumns {
                svg.text(matrix.classNames[column], x + 3, y - 4, size: 11, anchor: .end, rotation: -45)
            } else {
                svg.text(matrix.classNames[column], x, y, size: 11, anchor: .middle)
            }
        }
        svg.rect(left, top, gridSize, gridSize, fill: "none", stroke: ChartPalette.axis)
        svg.text("Predicted label", left + gridSize / 2, height - 10, size: 12, anchor: .middle)
        svg.text("True label", 14, top + gridSize / 2, size: 12, anchor: .middle, rotation: -90)
        return svg.document(width: width, height: height, title: title)
    }
}
