import Kestrel

/// A history file's values as the readers take them (`ConfigValue` parses the JSON, Python's `NaN` and
/// `Infinity` included when the decoder allows JSON5).
extension ConfigValue {
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
        case .string(let text): return Double(text)
        case .bool(let flag): return flag ? 1 : 0
        default: return doubleValue
        }
    }
}
