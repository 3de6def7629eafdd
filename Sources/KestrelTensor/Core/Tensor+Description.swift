extension Tensor: CustomStringConvertible {
    /// Values printed like NumPy: nested brackets, long dimensions abbreviated with "...".
    public var description: String {
        let body = Tensor.format(buffer.pointer, shape: shape[...], depth: 0)
        return "Tensor(shape: \(shape), \(body))"
    }

    private static func format(_ pointer: UnsafeMutablePointer<Float>, shape: ArraySlice<Int>, depth: Int) -> String {
        guard let first = shape.first else { return formatValue(pointer[0]) }
        let inner = shape.dropFirst().reduce(1, *)
        let shown: [Int] = first > 6 ? [0, 1, 2, -1, first - 3, first - 2, first - 1] : Array(0..<first)
        let pieces = shown.map { index in
            index < 0 ? "..." : format(pointer + index * inner, shape: shape.dropFirst(), depth: depth + 1)
        }
        let separator = shape.count > 1 ? ",\n" + String(repeating: " ", count: depth + 1) : ", "
        return "[" + pieces.joined(separator: separator) + "]"
    }

    private static func formatValue(_ value: Float) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e7 { return String(Int(value)) + "." }
        return String(format: "%.4g", Double(value))
    }
}

import Foundation
