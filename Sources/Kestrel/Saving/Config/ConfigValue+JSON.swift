import Foundation

/// JSON text for configs: Keras's `config.json`, `model.to_json()` and `metadata.json`.
extension ConfigValue: Decodable {
    /// Parses JSON bytes; throws a `KestrelError.fileError` naming `source` when they are not JSON.
    public static func parse(_ data: Data, source: String) throws -> ConfigValue {
        do {
            return try JSONDecoder().decode(ConfigValue.self, from: data)
        } catch {
            throw KestrelError.fileError("'\(source)' is not valid JSON (\(ConfigValue.reason(error))); it should hold a Keras model config as written by model.to_json() or model.save().")
        }
    }

    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        default: return "\(error)"
        }
    }

    /// Reads any JSON value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ConfigValue].self))
        }
    }

    /// Compact JSON with sorted object keys (Keras reads keys in any order).
    public var jsonText: String {
        var text = ""
        write(into: &text, indent: nil, level: 0)
        return text
    }

    /// JSON with two-space indentation, for files people read.
    public var prettyJSONText: String {
        var text = ""
        write(into: &text, indent: "  ", level: 0)
        return text
    }

    private func write(into text: inout String, indent: String?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (depth: Int) in String(repeating: indent ?? "", count: depth) }
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .int(let value): text += String(value)
        case .double(let value):
            if value.isNaN { text += "NaN" } else if value.isInfinite { text += value > 0 ? "Infinity" : "-Infinity" } else { text += "\(value)" }
        case .string(let value): ConfigValue.writeString(value, into: &text)
        case .array(let values):
            guard !values.isEmpty else { text += "[]"; return }
            text += "[" + newline
            for (index, value) in values.enumerated() {
                text += pad(level + 1)
                value.write(into: &text, indent: indent, level: level + 1)
                text += (index + 1 < values.count ? (indent == nil ? ", " : ",") : "") + newline
            }
            text += pad(level) + "]"
        case .object(let members):
            guard !members.isEmpty else { text += "{}"; return }
            text += "{" + newline
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                text += pad(level + 1)
                ConfigValue.writeString(key, into: &text)
                text += ": "
                members[key]!.write(into: &text, indent: indent, level: level + 1)
                text += (index + 1 < keys.count ? (indent == nil ? ", " : ",") : "") + newline
            }
            text += pad(level) + "}"
        }
    }

    private static func writeString(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 { text += String(format: "\\u%04x", scalar.value) } else { text.unicodeScalars.append(scalar) }
            }
        }
        text += "\""
    }

    /// The members when this is an object.
    public var objectValue: [String: ConfigValue]? { if case .object(let members) = self { return members } else { return nil } }
    /// The elements when this is an array.
    public var arrayValue: [ConfigValue]? { if case .array(let values) = self { return values } else { return nil } }
    /// The text when this is a string.
    public var stringValue: String? { if case .string(let value) = self { return value } else { return nil } }
    /// The number when this is an int or a double.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }
    /// The value when this is a bool.
    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    /// Member `key` when this is an object.
    public subscript(key: String) -> ConfigValue? { objectValue?[key] }
}
