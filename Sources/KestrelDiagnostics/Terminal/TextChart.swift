import Foundation

/// A small Unicode chart of a few curves for the terminal, e.g.
///
/// ```
///  Loss          ● loss  ○ val_loss
///  1.78 ┤                  ○○○○○○○○
///  0.89 ┤○ ○○○○○○○○○○
///  0.00 ┤  ●●●●●●●●●●●●●●●●●●●●●●●●
///       └┬─────────┬─────────┬─────
///        1         10        20
/// ```
/// Each series has its own marker; where two meet, `◆`. Epochs beyond `width` are binned.
public struct TextChart: Sendable {
    /// The title at the top left.
    public var title: String
    /// Name → values (one per epoch) and marker character.
    public var series: [(name: String, values: [Double], marker: Character)]
    /// Plot columns (at most this many). Default 60.
    public var width: Int
    /// Plot rows. Default 8.
    public var height: Int
    /// Epoch column (0-based row) to draw as a `│` best-epoch marker, or nil.
    public var markedEpoch: Int?

    /// A chart of `series`.
    public init(title: String, series: [(name: String, values: [Double], marker: Character)], width: Int = 60,
                height: Int = 8, markedEpoch: Int? = nil) {
        self.title = title
        self.series = series
        self.width = width
        self.height = height
        self.markedEpoch = markedEpoch
    }

    /// The chart as lines of text (no trailing newline).
    public func render() -> String {
        let epochs = series.map(\.values.count).max() ?? 0
        let values = series.flatMap(\.values).filter(\.isFinite)
        guard epochs > 0, let low = values.min(), let high = values.max() else { return "\(title): no data" }
        // Few epochs are spread out (up to 3 columns each) so the epoch numbers fit under them.
        let columns = max(2, min(width, epochs * 3 - 2))
        let rows = max(3, height)
        let span = high - low > 1e-12 && (high - low).isFinite ? high - low : 1
        func column(_ epoch: Int) -> Int { epochs == 1 ? 0 : Int((Double(epoch) / Double(epochs - 1) * Double(columns - 1)).rounded()) }
        func row(_ value: Double) -> Int {
            let position = ((high - value) / span * Double(rows - 1)).rounded()
            return position.isFinite ? min(max(Int(position), 0), rows - 1) : 0
        }
        var grid = Array(repeating: Array(repeating: Character(" "), count: columns), count: rows)
        if let markedEpoch, markedEpoch < epochs {
            for index in 0..<rows { grid[index][column(markedEpoch)] = "│" }
        }
        for line in series {
            for (epoch, value) in line.values.enumerated() where value.isFinite {
                let (r, c) = (row(value), column(epoch))
                let current = grid[r][c]
                grid[r][c] = (current == " " || current == "│" || current == line.marker) ? line.marker : "◆"
            }
        }
        let labels = (0..<rows).map { index -> String in
            guard index == 0 || index == rows - 1 || index == rows / 2 else { return "" }
            return DiagnosticsFormat.number(high - span * Double(index) / Double(rows - 1))
        }
        let labelWidth = labels.map(\.count).max() ?? 0
        let legend = series.map { "\($0.marker) \($0.name)" }.joined(separator: "  ")
        var lines = [" " + title + String(repeating: " ", count: max(2, labelWidth + 3 + columns - title.count - legend.count)) + legend]
        for (index, cells) in grid.enumerated() {
            let label = String(repeating: " ", count: labelWidth - labels[index].count) + labels[index]
            lines.append(" \(label) ┤" + String(cells).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        var axis = Array(repeating: Character("─"), count: columns)
        var numbers = Array(repeating: Character(" "), count: columns + 6)
        let tickStep = NiceScale(minimum: 1, maximum: Double(epochs), targetTickCount: 5, integerSteps: true).step
        // Ticks at multiples of a 1-2-5 step; epoch 1 also gets one when the step is 5 or more.
        let stepSize = max(1, Int(tickStep))
        var tick = stepSize >= 5 || stepSize == 1 ? 1 : stepSize
        var labelEnd = -1
        while tick <= epochs {
            let c = column(tick - 1)
            let text = String(tick)
            if c > labelEnd, c + text.count <= numbers.count {
                axis[c] = "┬"
                for (offset, character) in text.enumerated() { numbers[c + offset] = character }
                labelEnd = c + text.count
            }
            tick = tick == 1 && stepSize > 1 ? stepSize : tick + stepSize
        }
        let pad = String(repeating: " ", count: labelWidth + 2)
        lines.append(pad + "└" + String(axis))
        lines.append(pad + " " + String(numbers).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "  epoch")
        return lines.joined(separator: "\n")
    }
}
