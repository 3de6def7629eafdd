/// Something drawn over a chart's data: a shaded x-range, a vertical marker line, a
/// horizontal reference line, or a labelled point.
public enum ChartAnnotation: Sendable, Equatable {
    /// A shaded band from `from` to `to` on the x axis, labelled at its top.
    case region(from: Double, to: Double, label: String, color: String)
    /// A vertical line at `x`, labelled at its top.
    case verticalLine(x: Double, label: String, color: String, dashed: Bool)
    /// A horizontal line at `y`, labelled at its right end.
    case horizontalLine(y: Double, label: String, color: String)
    /// A circled point with a label beside it.
    case point(x: Double, y: Double, label: String, color: String)
}
