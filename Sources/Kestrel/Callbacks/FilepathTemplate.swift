import Foundation

/// A file path with Python `str.format` placeholders, as Keras's ModelCheckpoint fills them:
/// `"ckpt/{epoch:02d}-{val_loss:.2f}.keras"`. Supported: `{name}` and `{name:spec}` with the spec
/// subset `[0][width][.precision][d|f|e|g]`, and `{{`/`}}` for literal braces.
public struct FilepathTemplate: Sendable, Equatable {
    /// The template text.
    public let text: String

    /// A template from its text.
    public init(_ text: String) { self.text = text }

    /// Whether the text has any placeholder.
    public var hasPlaceholders: Bool { text.replacingOccurrences(of: "{{", with: "").contains("{") }

    /// The path with every placeholder replaced; `integers` (epoch, batch) are formatted as Python
    /// ints, `values` (the logs) as Python floats. Throws a `KestrelError` naming the placeholder.
    public func format(integers: [String: Int], values: [String: Double]) throws -> String {
        var result = ""
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if character == "}" {
                guard characters.first == "}" else { throw error("a single '}' must be written '}}'") }
                characters.removeFirst()
                result.append("}")
            } else if character == "{" {
                if characters.first == "{" { characters.removeFirst(); result.append("{"); continue }
                guard let close = characters.firstIndex(of: "}") else { throw error("a '{' is never closed") }
                let field = String(characters[..<close])
                characters = characters[characters.index(after: close)...]
                result += try replacement(for: field, integers: integers, values: values)
            } else {
                result.append(character)
            }
        }
        return result
    }

    private func replacement(for field: String, integers: [String: Int], values: [String: Double]) throws -> String {
        let parts = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        let spec = try FormatSpec(parts.count > 1 ? parts[1] : "", field: field, template: text)
        if let integer = integers[name] { return try spec.format(integer: integer) }
        // Keras's logs hold float32 metric values (widened to Python floats), so format the float32 value:
        // an accuracy of 0.7875 is 0.787500024 there and "{val_accuracy:.3f}" gives 0.788, not 0.787.
        if let value = values[name] { return try spec.format(double: Double(Float(value))) }
        let known = (integers.keys.sorted() + values.keys.sorted()).joined(separator: ", ")
        throw error("no value named '\(name)' is logged (available: \(known))")
    }

    private func error(_ reason: String) -> KestrelError {
        KestrelError.invalidArgument("Failed to format this callback filepath: \"\(text)\". Reason: \(reason).")
    }
}

/// Python's format-spec subset: zero padding, width, precision and the types d, f, e, g.
private struct FormatSpec {
    var zeroPad = false
    var width = 0
    var precision: Int?
    var type: Character?
    let field: String
    let template: String

    init(_ spec: String, field: String, template: String) throws {
        self.field = field
        self.template = template
        var rest = Substring(spec)
        if rest.first == "0" { zeroPad = true; rest.removeFirst() }
        let widthDigits = rest.prefix(while: \.isNumber)
        rest.removeFirst(widthDigits.count)
        width = Int(widthDigits) ?? 0
        if rest.first == "." {
            rest.removeFirst()
            let digits = rest.prefix(while: \.isNumber)
            guard !digits.isEmpty else { throw FormatSpec.failure(template, "'{\(field)}' has a '.' without a precision") }
            precision = Int(digits)
            rest.removeFirst(digits.count)
        }
        if let last = rest.first { type = last; rest.removeFirst() }
        guard rest.isEmpty, type == nil || "dfeg".contains(type!), width <= 1000, (precision ?? 0) <= 100 else {
            throw FormatSpec.failure(template, "'{\(field)}' has a format spec outside [0][width][.precision][d|f|e|g]")
        }
    }

    func format(integer: Int) throws -> String {
        switch type {
        case nil, "d":
            guard precision == nil else { throw FormatSpec.failure(template, "'{\(field)}': precision is not allowed in an integer format") }
            return pad(String(integer))
        default: return try format(double: Double(integer))
        }
    }

    func format(double value: Double) throws -> String {
        switch type {
        case "d": throw FormatSpec.failure(template, "'{\(field)}': the value \(value) is a float; 'd' formats integers only")
        case "f": return pad(String(format: "%.*f", precision ?? 6, value))
        case "e": return pad(String(format: "%.*e", precision ?? 6, value))
        case "g": return pad(String(format: "%.*g", precision ?? 6, value))
        default:
            if let precision { return pad(String(format: "%.*g", precision, value)) }
            return pad(FormatSpec.pythonRepr(value))
        }
    }

    /// Python's `str(float)`: the shortest text that reads back, with ".0" on integral values.
    static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let text = "\(value)"
        return text
    }

    private func pad(_ text: String) -> String {
        guard text.count < width else { return text }
        let padding = String(repeating: zeroPad ? "0" : " ", count: width - text.count)
        if zeroPad, text.hasPrefix("-") { return "-" + padding + text.dropFirst() }
        return padding + text
    }

    static func failure(_ template: String, _ reason: String) -> KestrelError {
        KestrelError.invalidArgument("Failed to format this callback filepath: \"\(template)\". Reason: \(reason).")
    }
}
