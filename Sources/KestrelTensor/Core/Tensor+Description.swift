import Foundation

extension Tensor: CustomStringConvertible {
    /// The shape, then the values as NumPy's `print` shows them (the default print options): space-separated,
    /// nested brackets, columns padded to one width, the fewest digits that identify each float32 (at most 8
    /// after the point, scientific when magnitudes fall below 1e-4, reach 1e8 or span 1000×), lines wrapped at
    /// 75 characters, and "..." only for tensors of more than 1000 values. A scalar prints on one line.
    ///
    ///     Tensor(shape: [2, 2])
    ///     [[ 1.  -2.5]
    ///      [30.   4. ]]
    public var description: String {
        let printer = NumPyArrayPrinter(shape: shape, values: scalars)
        if rank == 0 { return "Tensor(shape: [], \(printer.render()))" }
        return "Tensor(shape: \(shape))\n" + printer.render()
    }
}

extension Tensor {
    /// One value as NumPy prints a lone float32: the fewest digits that identify it ("3.", "0.1", "1e-05").
    static func format(_ value: Float) -> String {
        NumPyFloatFormat(values: [value]).format(value)
    }
}
