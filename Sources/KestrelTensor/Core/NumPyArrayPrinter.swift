/// Lays out an array's values as NumPy's `print` (its `str`) does with the default options: values
/// separated by spaces, rows in brackets, lines wrapped at 75 characters, and — only for arrays of more
/// than 1000 values — each axis longer than 6 shown as its first and last 3 entries around "...".
struct NumPyArrayPrinter {
    /// Arrays with more values than this are summarised (NumPy's `threshold`).
    static let threshold = 1000
    /// Entries kept at each end of a summarised axis (NumPy's `edgeitems`).
    static let edgeItems = 3
    /// The line width rows are wrapped at (NumPy's `linewidth`).
    static let lineWidth = 75

    let shape: [Int]
    let values: [Float]
    let summarize: Bool
    let strides: [Int]
    let format: NumPyFloatFormat

    /// A printer for row-major `values` of `shape`.
    init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
        summarize = values.count > Self.threshold
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        self.strides = strides
        var shown: [Float] = []
        Self.collect(shape: shape[...], strides: strides[...], base: 0, summarize: summarize, values: values, into: &shown)
        format = NumPyFloatFormat(values: shown)
    }

    /// The indices shown along an axis of `length`, nil marking the "..." gap.
    static func shownIndices(_ length: Int, summarize: Bool) -> [Int?] {
        guard summarize && length > 2 * edgeItems else { return (0..<length).map { $0 } }
        return (0..<edgeItems).map { $0 } + [nil] + ((length - edgeItems)..<length).map { $0 }
    }

    private static func collect(shape: ArraySlice<Int>, strides: ArraySlice<Int>, base: Int, summarize: Bool,
                                values: [Float], into shown: inout [Float]) {
        guard let length = shape.first, let stride = strides.first else { shown.append(values[base]); return }
        for case let index? in shownIndices(length, summarize: summarize) {
            collect(shape: shape.dropFirst(), strides: strides.dropFirst(), base: base + index * stride,
                    summarize: summarize, values: values, into: &shown)
        }
    }

    /// The whole array as NumPy prints it.
    func render() -> String {
        if shape.isEmpty { return format.format(values[0]) }
        return render(axis: 0, base: 0, hangingIndent: " ", width: Self.lineWidth)
    }

    private func render(axis: Int, base: Int, hangingIndent: String, width: Int) -> String {
        if axis == shape.count { return format.format(values[base]) }
        let nextIndent = hangingIndent + " "
        let nextWidth = width - 1
        let indices = Self.shownIndices(shape[axis], summarize: summarize)
        let axesLeft = shape.count - axis
        var text = ""
        if axesLeft == 1 {
            let elementWidth = width - 1
            var line = hangingIndent
            for (position, index) in indices.enumerated() {
                let word = index.map { render(axis: axis + 1, base: base + $0 * strides[axis], hangingIndent: nextIndent, width: nextWidth) } ?? "..."
                if line.count + word.count > elementWidth && line.count > hangingIndent.count {
                    text += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
                    line = hangingIndent
                }
                line += word
                if position < indices.count - 1 { line += " " }
            }
            text += line
        } else {
            let separator = String(repeating: "\n", count: axesLeft - 1)
            for (position, index) in indices.enumerated() {
                let nested = index.map { render(axis: axis + 1, base: base + $0 * strides[axis], hangingIndent: nextIndent, width: nextWidth) } ?? "..."
                text += hangingIndent + nested + (position < indices.count - 1 ? separator : "")
            }
        }
        return "[" + String(text.dropFirst(hangingIndent.count)) + "]"
    }
}
