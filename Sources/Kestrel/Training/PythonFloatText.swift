import KestrelTensor

/// Numbers written as Python writes them (`repr` of a float, `{value:.3f}` of a format field), so that what
/// Kestrel prints reads as what Keras prints.
enum PythonFloatText {
    /// Python's `repr(value)`: the shortest digits that round-trip, positional for decimal exponents from −4
    /// to 15 ("0.0001", "123.0"), otherwise scientific with at least two exponent digits ("1e-05", "1.5e+16").
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let sign = value.sign == .minus ? "-" : ""
        let (digits, exponent) = shortestDigits(Swift.abs(value))
        if digits == "0" { return sign + "0.0" }
        let power = exponent - 1
        if power < -4 || power >= 16 {
            let fraction = digits.dropFirst()
            let powerText = String(Swift.abs(power))
            return sign + String(digits.prefix(1)) + (fraction.isEmpty ? "" : "." + fraction)
                + "e" + (power < 0 ? "-" : "+") + (powerText.count < 2 ? "0" : "") + powerText
        }
        if exponent <= 0 { return sign + "0." + String(repeating: "0", count: -exponent) + digits }
        if digits.count <= exponent { return sign + digits + String(repeating: "0", count: exponent - digits.count) + ".0" }
        return sign + String(digits.prefix(exponent)) + "." + String(digits.dropFirst(exponent))
    }

    /// The shortest round-trip digits of a finite, non-negative `value` as 0.DIGITS × 10^exponent.
    static func shortestDigits(_ value: Double) -> (digits: String, exponent: Int) {
        ShortestDecimal.digits(ofDescription: value.description)
    }
}
