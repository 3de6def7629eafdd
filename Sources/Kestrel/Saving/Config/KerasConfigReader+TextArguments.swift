extension KerasConfigReader {
    /// A 1-D window argument: a number or a one-element list; nil when absent.
    func oneLength(_ key: String) throws -> Int? {
        guard let value = config[key], value != .null else { return nil }
        let item = value.arrayValue.flatMap { $0.count == 1 ? $0[0] : nil } ?? value
        guard let number = try KerasConfigReader.wholeNumber(item), (1...KerasConfigReader.largestSize).contains(number) else {
            throw fail("\"\(key)\" must be a positive whole number or a list of one, got \(value)")
        }
        return number
    }

    /// A standardize/split argument: a Keras string, null, or a serialised Python function (kept by name).
    func callableName(_ key: String, default fallback: String) throws -> (name: String?, custom: Bool) {
        guard let value = config[key] else { return (fallback, false) }
        switch value {
        case .null: return (nil, false)
        case .string(let name): return (name, false)
        case .object:
            guard let name = value["config"]?.stringValue ?? value["class_name"]?.stringValue, !name.isEmpty, name.count <= 200 else {
                throw fail("\"\(key)\" is neither a Keras name nor a named function")
            }
            return (name, true)
        default: throw fail("\"\(key)\" must be a string, null or a function, got \(value)")
        }
    }
}
