import Foundation

extension Tensor: CustomStringConvertible {
    /// The shape, then the values laid out like NumPy: nested brackets, columns aligned, long
    /// dimensions abbreviated with "...". A scalar prints on one line.
    ///
    ///     Tensor(shape: [2, 3])
    ///     [[ 1.,  2.5, -3.],
    ///      [ 4.,  5.,   6.]]
    public var description: String {
        if rank == 0 { return "Tensor(shape: [], \(Tensor.format(buffer.pointer[0])))" }
        let shown = TensorPrinter(tensor: self)
        return "Tensor(shape: \(shape))\n" + shown.render()
    }
}

/// Lays out a tensor's values for `description`.
private struct TensorPrinter {
    /// Dimensions longer than this are shown as their first and last `edgeItems` entries.
    static let summaryThreshold = 6
    static let edgeItems = 3

    let shape: [Int]
    let pointer: UnsafeMutablePointer<Float>
    let strides: [Int]
    let cells: [Int: String]
    let width: Int

    init(tensor: Tensor) {
        shape = tensor.shape
        let pointer = tensor.buffer.pointer
        self.pointer = pointer
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        self.strides = strides
        var offsets: [Int] = []
        TensorPrinter.collect(shape: shape[...], strides: strides[...], base: 0, into: &offsets)
        var cells: [Int: String] = [:]
        for offset in offsets { cells[offset] = Tensor.format(pointer[offset]) }
        self.cells = cells
        width = cells.values.map(\.count).max() ?? 0
    }

    /// Indices shown along a dimension of `length` (-1 marks the "..." gap).
    static func shownIndices(_ length: Int) -> [Int] {
        length > summaryThreshold
            ? Array(0..<edgeItems) + [-1] + Array((length - edgeItems)..<length)
            : Array(0..<length)
    }

    private static func collect(shape: ArraySlice<Int>, strides: ArraySlice<Int>, base: Int, into offsets: inout [Int]) {
        guard let length = shape.first, let stride = strides.first else { offsets.append(base); return }
        for index in shownIndices(length) where index >= 0 {
            collect(shape: shape.dropFirst(), strides: strides.dropFirst(), base: base + index * stride, into: &offsets)
        }
    }

    func render() -> String { render(axis: 0, base: 0) }

    private func render(axis: Int, base: Int) -> String {
        if axis == shape.count {
            let text = cells[base] ?? ""
            return String(repeating: " ", count: width - text.count) + text
        }
        let indices = TensorPrinter.shownIndices(shape[axis])
        let remaining = shape.count - axis - 1
        let pieces = indices.map { index in
            index < 0 ? "..." : render(axis: axis + 1, base: base + index * strides[axis])
        }
        let indent = String(repeating: " ", count: axis + 1)
        let separator = remaining == 0 ? ", " : "," + String(repeating: "\n", count: remaining) + indent
        return "[" + pieces.joined(separator: separator) + "]"
    }
}

extension Tensor {
    /// One value: "3." for whole numbers (as NumPy prints floats), else 4 significant digits.
    static func format(_ value: Float) -> String {
        if value == value.rounded() && Swift.abs(value) < 1e7 { return String(Int(value)) + "." }
        return String(format: "%.4g", Double(value))
    }
}
