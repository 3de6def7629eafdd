/// A JSON value of any shape, decoded leniently (Python's `json.dump` writes `NaN` and
/// `Infinity`, which JSON5 mode accepts). Internal: the readers' view of a history file.
enum JSONValue: Decodable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as a history entry: nil inside for "not logged" (`null`, "NA"), else `numberValue`;
    /// nil outside when it is neither.
    var loggedValue: Double?? {
        switch self {
        case .null, .string("NA"): return .some(nil)
        default: return numberValue.map(Optional.some)
        }
    }

    /// The value as a number: numbers, numeric strings ("NaN", "1e-3") and booleans.
    var numberValue: Double? {
        switch self {
        case .number(let value): return value
        case .string(let text): return Double(text)
        case .bool(let flag): return flag ? 1 : 0
        case .null, .array, .object: return nil
        }
    }
}
