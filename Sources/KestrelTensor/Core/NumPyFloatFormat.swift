import Foundation

/// How NumPy's `print` writes the float32 values of one array (its `FloatingFormat` with the default
/// options: precision 8, `floatmode="maxprec"`, no `suppress`): positional ("0.25", "1.") unless the
/// non-zero magnitudes reach 1e8, fall below 1e-4 or span more than 1000×, then scientific ("1.5e-05");
/// every value uses the fewest digits that identify its float32 (at most 8 after the point), and
/// all values are padded to one width so columns line up.
struct NumPyFloatFormat {
    /// The most digits after the decimal point (NumPy's default `precision`).
    static let precision = 8

    /// Whether values are written as mantissa and exponent.
    let scientific: Bool
    /// The width of the part before the decimal point (sign included).
    private(set) var padLeft = 0
    /// Positional: the width after the decimal point; scientific: the digits after the point.
    private(set) var padRight = 0
    /// Scientific: the digits of the exponent (at least 2).
    private(set) var exponentDigits = 2

    /// The format for an array whose shown values are `values`.
    init(values: [Float]) {
        let finite = values.filter(\.isFinite)
        let magnitudes = finite.filter { $0 != 0 }.map(Swift.abs)
        if let largest = magnitudes.max(), let smallest = magnitudes.min() {
            scientific = largest >= 1e8 || smallest < 0.0001 || largest / smallest > 1000
        } else {
            scientific = false
        }
        if scientific {
            let parts = finite.map(Self.scientificParts)
            padRight = parts.map(\.fraction.count).max() ?? 0
            exponentDigits = parts.map { $0.exponent.count - 1 }.max() ?? 2
            padLeft = parts.map(\.integer.count).max() ?? 0
        } else {
            let parts = finite.map(Self.positionalParts)
            padLeft = parts.map(\.integer.count).max() ?? 0
            padRight = parts.map(\.fraction.count).max() ?? 0
        }
        if finite.count != values.count {
            let negativeInfinity = values.contains { $0.isInfinite && $0 < 0 } ? 1 : 0
            let width = scientific ? exponentDigits + 2 + padRight : padRight
            padLeft = Swift.max(padLeft, 3 - (width + 1), 3 + negativeInfinity - (width + 1))
        }
    }

    /// One value, padded to the common width.
    func format(_ value: Float) -> String {
        guard value.isFinite else {
            let text = value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
            let width = (scientific ? exponentDigits + 2 + padRight : padRight) + padLeft + 1
            return String(repeating: " ", count: Swift.max(width - text.count, 0)) + text
        }
        if scientific {
            // Every value shows `padRight` digits after the point: digits of the exact float value beyond its
            // shortest form (NumPy's Dragon4 with min_digits), so "7.8742496e-06", not "7.87425000e-06".
            var parts = Self.scientificParts(value)
            if parts.fraction.count < padRight, value != 0 {
                parts = Self.scientificParts(text: String(format: "%.\(padRight)e", Double(Swift.abs(value))), negative: value < 0)
            }
            let fraction = parts.fraction + String(repeating: "0", count: Swift.max(padRight - parts.fraction.count, 0))
            let sign = parts.exponent.first!
            let digits = String(parts.exponent.dropFirst())
            let exponent = String(sign) + String(repeating: "0", count: Swift.max(exponentDigits - digits.count, 0)) + digits
            return Self.leftPadded(parts.integer, padLeft) + "." + fraction + "e" + exponent
        }
        let parts = Self.positionalParts(value)
        return Self.leftPadded(parts.integer, padLeft) + "." + parts.fraction
            + String(repeating: " ", count: Swift.max(padRight - parts.fraction.count, 0))
    }

    private static func leftPadded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: Swift.max(width - text.count, 0)) + text
    }

    /// The shortest decimal digits that identify `value` as a float32, as 0.DIGITS × 10^exponent
    /// (digits without leading or trailing zeros; "0" for zero).
    static func shortestDigits(_ value: Float) -> (digits: String, exponent: Int) {
        ShortestDecimal.digits(ofDescription: Swift.abs(value).description)
    }

    /// Positional text split at the point, trailing zeros dropped ("1." → ("1", "")), sign on the integer part.
    static func positionalParts(_ value: Float) -> (integer: String, fraction: String) {
        let sign = value.sign == .minus ? "-" : ""
        let (digits, exponent) = shortestDigits(value)
        if digits == "0" { return (sign + "0", "") }
        if digits.count - exponent > precision {
            // More digits than the precision allows: round the exact float value to 8 places.
            var text = String(format: "%.\(precision)f", Double(Swift.abs(value)))
            while text.last == "0" { text.removeLast() }
            let halves = text.split(separator: ".", omittingEmptySubsequences: false)
            return (sign + String(halves[0]), halves.count > 1 ? String(halves[1]) : "")
        }
        if exponent <= 0 { return (sign + "0", String(repeating: "0", count: -exponent) + digits) }
        if digits.count <= exponent { return (sign + digits + String(repeating: "0", count: exponent - digits.count), "") }
        return (sign + String(digits.prefix(exponent)), String(digits.dropFirst(exponent)))
    }

    /// Scientific text: integer digit (with sign), fraction digits (trailing zeros dropped) and the signed exponent ("-05").
    static func scientificParts(_ value: Float) -> (integer: String, fraction: String, exponent: String) {
        let sign = value.sign == .minus ? "-" : ""
        let (digits, exponent) = shortestDigits(value)
        if digits == "0" { return (sign + "0", "", "+00") }
        if digits.count - 1 > precision {
            var parts = scientificParts(text: String(format: "%.\(precision)e", Double(Swift.abs(value))), negative: value < 0)
            while parts.fraction.last == "0" { parts.fraction.removeLast() }
            return parts
        }
        return (sign + String(digits.prefix(1)), String(digits.dropFirst()), exponentText(exponent - 1))
    }

    /// The parts of C's "%.Ne" text of a magnitude ("7.87424960e-06"), digits kept as printed.
    static func scientificParts(text: String, negative: Bool) -> (integer: String, fraction: String, exponent: String) {
        let pieces = text.split(separator: "e")
        let mantissa = pieces[0].split(separator: ".", omittingEmptySubsequences: false)
        let power = pieces.count > 1 ? Int(pieces[1]) ?? 0 : 0
        return ((negative ? "-" : "") + String(mantissa[0]), mantissa.count > 1 ? String(mantissa[1]) : "", exponentText(power))
    }

    /// "+00", "-05", "+123": the exponent with its sign and at least two digits.
    static func exponentText(_ power: Int) -> String {
        let digits = String(Swift.abs(power))
        return (power < 0 ? "-" : "+") + (digits.count < 2 ? "0" + digits : digits)
    }
}
