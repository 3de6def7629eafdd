import Foundation

/// A JSON-like value in a callback's saved state (`Callback.stateDictionary()`).
///
/// Numbers are written as plain JSON numbers (shortest form that reads back to the same `Double`,
/// so a resumed run continues bit for bit); infinities and NaN as the strings "Infinity",
/// "-Infinity" and "NaN"; tensors as `{"shape": […], "float32": "<base64 little-endian>"}`.
public enum StateValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([StateValue])
    case object([String: StateValue])

    /// The value as a number (from `.int`, `.double` or the non-finite strings), else nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string("NaN"): return .nan
        default: return nil
        }
    }

    /// The value as an integer (from `.int` or an integral `.double`), else nil.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value): return value.rounded() == value && Swift.abs(value) < 0x1p62 ? Int(value) : nil
        default: return nil
        }
    }

    /// The value as a Bool, else nil.
    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }

    /// The value as a String, else nil.
    public var stringValue: String? { if case .string(let value) = self { return value } else { return nil } }

    /// The elements of an `.array`, else nil.
    public var arrayValue: [StateValue]? { if case .array(let value) = self { return value } else { return nil } }

    /// A number, written so it reads back exactly (non-finite values as strings).
    public static func number(_ value: Double) -> StateValue {
        value.isFinite ? .double(value) : .string(value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"))
    }

    /// An optional number (`.null` for nil).
    public static func number(_ value: Double?) -> StateValue { value.map { number($0) } ?? .null }

    /// A list of tensors (e.g. EarlyStopping's best weights), each as shape plus base64 float32 bytes.
    public static func tensors(_ values: [Tensor]) -> StateValue {
        .array(values.map { tensor in
            let bytes = tensor.scalars.withUnsafeBufferPointer { Data(buffer: $0) }
            return .object(["shape": .array(tensor.shape.map { .int($0) }), "float32": .string(bytes.base64EncodedString())])
        })
    }

    /// Reads back what `tensors(_:)` wrote; throws a `KestrelError` naming `key` when it is damaged.
    public func tensorsValue(key: String) throws -> [Tensor] {
        guard let items = arrayValue else { throw StateValue.damaged(key, "a list of tensors") }
        return try items.map { item in
            guard case .object(let fields) = item, let shape = fields["shape"]?.arrayValue?.compactMap(\.intValue),
                  let text = fields["float32"]?.stringValue, let bytes = Data(base64Encoded: text),
                  shape.allSatisfy({ $0 >= 0 }), bytes.count % 4 == 0 else {
                throw StateValue.damaged(key, "a tensor with shape and float32 data")
            }
            let scalars = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            return try Tensor(shape: shape, scalars: scalars)
        }
    }

    /// The error for a saved state whose `key` does not hold `expected`.
    public static func damaged(_ key: String, _ expected: String) -> KestrelError {
        KestrelError.invalidData("The saved callback state '\(key)' is not \(expected); the backup is damaged or from another program. Delete the backup folder to start afresh.")
    }

    /// Reads any JSON value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([StateValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: StateValue].self)) }
    }

    /// Writes the value as plain JSON.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): if value.isFinite { try container.encode(value) } else { try container.encode(StateValue.number(value)) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension Dictionary where Key == String, Value == StateValue {
    /// The number stored under `key`; throws naming the key when it is missing or not a number.
    func number(_ key: String) throws -> Double {
        guard let value = self[key]?.doubleValue else { throw StateValue.damaged(key, "a number") }
        return value
    }

    /// The integer stored under `key`; throws naming the key when it is missing or not an integer.
    func integer(_ key: String) throws -> Int {
        guard let value = self[key]?.intValue else { throw StateValue.damaged(key, "an integer") }
        return value
    }

    /// The largest counter a backup may hold (2^53): far beyond any run, and adding to it cannot overflow.
    static var largestCounter: Int { 1 << 53 }

    /// The counter stored under `key` (a wait, an epoch, a batch count): a whole number in
    /// 0...`largestCounter`; throws naming the key otherwise (Int.max made the next `+= 1` trap).
    func counter(_ key: String) throws -> Int {
        let value = try integer(key)
        guard (0...Self.largestCounter).contains(value) else { throw StateValue.damaged(key, "a count in 0...\(Self.largestCounter)") }
        return value
    }

    /// The optional counter under `key` (`.null` or absent → nil), bounded as `counter`.
    func optionalCounter(_ key: String) throws -> Int? {
        guard let value = self[key], value != .null else { return nil }
        return try counter(key)
    }

    /// The optional number under `key` (`.null` or absent → nil).
    func optionalNumber(_ key: String) throws -> Double? {
        guard let value = self[key], value != .null else { return nil }
        return try number(key)
    }
}
