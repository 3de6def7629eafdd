/// A value in a layer's configuration (what Keras's `get_config()` returns).
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case ints([Int])
    case null

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        case .bool(let value): return String(value)
        case .ints(let values): return "[" + values.map(String.init).joined(separator: ", ") + "]"
        case .null: return "null"
        }
    }
}

/// A layer's configuration: argument names (Keras spelling) to values.
public typealias LayerConfig = [String: ConfigValue]
