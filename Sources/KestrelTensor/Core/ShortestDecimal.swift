/// The shortest decimal digits that identify a floating-point value, read from Swift's `description`
/// (which prints exactly those digits): what NumPy's `print` and Python's `repr` build their text from.
package enum ShortestDecimal {
    /// The digits of a finite, non-negative value's `description` as 0.DIGITS × 10^exponent, without
    /// leading or trailing zeros ("0" with exponent 1 for zero).
    package static func digits(ofDescription description: String) -> (digits: String, exponent: Int) {
        let text = description.lowercased()
        let pieces = text.split(separator: "e", omittingEmptySubsequences: false)
        let mantissa = String(pieces[0])
        let power = pieces.count > 1 ? Int(pieces[1]) ?? 0 : 0
        let pointIndex = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = mantissa.replacingOccurrences(of: ".", with: "")
        var exponent = pointIndex + power
        while digits.first == "0" && digits.count > 1 {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        if digits == "0" { exponent = 1 }
        return (digits, exponent)
    }
}
