/// One line of a chart, optionally with a shaded band around it (mean ± 95 % CI half-width).
public struct ChartSeries: Sendable, Equatable {
    /// The legend label.
    public var name: String
    /// X values (epochs, 1-based).
    public var x: [Double]
    /// Y values; NaN breaks the line.
    public var y: [Double]
    /// Stroke colour (CSS).
    public var color: String
    /// Dashed (validation) or solid (training).
    public var dashed: Bool
    /// Lower edge of a band per point (same length as `y`), or nil.
    public var bandLower: [Double]?
    /// Upper edge of a band per point, or nil.
    public var bandUpper: [Double]?
    /// Whether the series gets a legend entry.
    public var inLegend: Bool

    /// A series; `bandLower`/`bandUpper` draw a translucent band.
    public init(name: String, x: [Double], y: [Double], color: String, dashed: Bool = false,
                bandLower: [Double]? = nil, bandUpper: [Double]? = nil, inLegend: Bool = true) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.dashed = dashed
        self.bandLower = bandLower
        self.bandUpper = bandUpper
        self.inLegend = inLegend
    }
}
