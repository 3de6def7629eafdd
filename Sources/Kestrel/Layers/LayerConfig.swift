/// A value in a layer's configuration (what Keras's `get_config()` returns): JSON's values, with
/// integers kept apart from other numbers so configs print as Keras prints them.
public indirect enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case array([ConfigValue])
    case object([String: ConfigValue])
    case null

    /// A list of integers (`kernel_size`, `batch_shape`…).
    public static func ints(_ values: [Int]) -> ConfigValue { .array(values.map(ConfigValue.int)) }

    /// The value as compact JSON (object keys sorted).
    public var description: String { jsonText }
}

/// A layer's configuration: argument names (Keras spelling) to values.
public typealias LayerConfig = [String: ConfigValue]
