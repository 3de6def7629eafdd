import Foundation

/// Accumulates SVG elements with escaped text and compact numbers (internal).
struct SVGWriter {
    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
    private(set) var elements: [String] = []

    /// The farthest a coordinate is written from the origin: a point of a log's value 1e300 lies far
    /// off the canvas either way, and cairo (the PNG rasteriser) works in 24.8 fixed point (±8 million).
    static let coordinateLimit = 1_000_000.0

    /// `value` with at most one decimal; non-finite values are 0 and values beyond ±`coordinateLimit`
    /// are clamped there (a crafted log's huge values must not trap the Int conversion).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (Swift.min(Swift.max(value, -coordinateLimit), coordinateLimit) * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    private func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(XMLEscape.text($0))\"" } }.joined()
    }

    mutating func raw(_ element: String) { elements.append(element) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil, opacity: Double? = nil) {
        elements.append("<line" + attributes([
            ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
            ("stroke", stroke), ("stroke-width", Self.number(width)), ("stroke-dasharray", dash),
            ("stroke-opacity", opacity.map { String(format: "%.2f", $0) }),
        ]) + "/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String,
                       stroke: String? = nil, opacity: Double? = nil, title: String? = nil) {
        let open = "<rect" + attributes([
            ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)), ("height", Self.number(height)),
            ("fill", fill), ("stroke", stroke), ("fill-opacity", opacity.map { String(format: "%.2f", $0) }),
        ])
        if let title {
            elements.append(open + "><title>\(XMLEscape.text(title))</title></rect>")
        } else {
            elements.append(open + "/>")
        }
    }

    mutating func path(_ data: String, stroke: String?, width: Double = 1.5, fill: String = "none",
                       dash: String? = nil, opacity: Double? = nil, label: String? = nil) {
        elements.append("<path" + attributes([
            ("d", data), ("fill", fill), ("stroke", stroke), ("stroke-width", stroke == nil ? nil : Self.number(width)),
            ("stroke-dasharray", dash), ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
            ("fill-opacity", opacity.map { String(format: "%.2f", $0) }), ("data-series", label),
        ]) + "/>")
    }

    mutating func circle(_ x: Double, _ y: Double, radius: Double, fill: String, stroke: String? = nil) {
        elements.append("<circle" + attributes([
            ("cx", Self.number(x)), ("cy", Self.number(y)), ("r", Self.number(radius)), ("fill", fill),
            ("stroke", stroke), ("stroke-width", stroke == nil ? nil : "1.5"),
        ]) + "/>")
    }

    /// An embedded raster image (a `data:` URI), drawn pixel for pixel.
    mutating func image(_ href: String, _ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        elements.append("<image" + attributes([
            ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)), ("height", Self.number(height)),
            ("href", href), ("image-rendering", "pixelated"), ("preserveAspectRatio", "none"),
        ]) + "/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, _ x: Double, _ y: Double, size: Double = 11, anchor: Anchor = .start,
                       weight: String? = nil, fill: String = "#222", rotation: Double? = nil, italic: Bool = false,
                       halo: Bool = false, maximumWidth: Double? = nil) {
        let transform = rotation.map { "rotate(\(Self.number($0)) \(Self.number(x)) \(Self.number(y)))" }
        elements.append("<text" + attributes([
            ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)),
            ("text-anchor", anchor.rawValue), ("font-weight", weight), ("fill", fill), ("transform", transform),
            ("font-style", italic ? "italic" : nil),
            // A white outline under the glyphs keeps labels readable where they cross lines.
            ("stroke", halo ? "#ffffff" : nil), ("stroke-width", halo ? "3" : nil),
            ("stroke-linejoin", halo ? "round" : nil), ("paint-order", halo ? "stroke" : nil),
            // Long text is squeezed into its cell rather than running into the next one.
            ("textLength", maximumWidth.flatMap { width in Double(content.count) * size * 0.6 > width ? Self.number(width) : nil }),
            ("lengthAdjust", maximumWidth.flatMap { width in Double(content.count) * size * 0.6 > width ? "spacingAndGlyphs" : nil }),
        ]) + ">\(XMLEscape.text(content))</text>")
    }

    /// The elements wrapped in an `<svg>` root with a `<title>` for accessibility.
    func document(width: Double, height: Double, title: String) -> String {
        let header = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"\(Self.fontFamily)\" role=\"img\">"
        return ([header, "<title>\(XMLEscape.text(title))</title>",
                 "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>"]
                + elements + ["</svg>"]).joined(separator: "\n")
    }

    /// Appends another writer's elements translated by (dx, dy).
    mutating func append(_ other: SVGWriter, dx: Double, dy: Double) {
        elements.append("<g transform=\"translate(\(Self.number(dx)) \(Self.number(dy)))\">")
        elements += other.elements
        elements.append("</g>")
    }
}
