/// Reads one Keras layer's `config` object with checks: each accessor throws a
/// `KestrelError.invalidData` naming the layer ("Keras layer 2 (Dense): \"units\" is missing or not a
/// number."), and numbers are range-checked so no later size computation can overflow.
public struct KerasConfigReader: Sendable {
    /// The layer's Keras class name.
    public let className: String
    /// Its 1-based position in the model.
    public let number: Int
    /// The `config` object.
    public let config: LayerConfig
    /// What is read, for errors: "layer" (then `number` names its position), "optimizer", "loss"….
    public let kind: String

    /// The largest size a config may declare for one axis (units, filters, a shape entry).
    static let largestSize = 1 << 31

    /// A reader for `config`.
    public init(className: String, number: Int, config: LayerConfig, kind: String = "layer") {
        self.className = className
        self.number = number
        self.config = config
        self.kind = kind
    }

    /// An error naming this layer.
    public func fail(_ problem: String) -> KestrelError {
        kind == "layer" ? .invalidData("Keras layer \(number) (\(className)): \(problem).") : .invalidData("Keras \(kind) \(className): \(problem).")
    }

    /// Whether `key` is present and not null.
    public func has(_ key: String) -> Bool {
        if let value = config[key], value != .null { return true }
        return false
    }

    /// A whole number in [minimum, largestSize].
    public func int(_ key: String, default fallback: Int? = nil, minimum: Int = 1) throws -> Int {
        guard has(key) else {
            if let fallback { return fallback }
            throw fail("\"\(key)\" is missing or not a number")
        }
        guard let value = try KerasConfigReader.wholeNumber(config[key]!) else { throw fail("\"\(key)\" is missing or not a number") }
        guard value >= minimum, value <= KerasConfigReader.largestSize else {
            throw fail("\"\(key)\" is \(value); it must be between \(minimum) and \(KerasConfigReader.largestSize)")
        }
        return value
    }

    static func wholeNumber(_ value: ConfigValue) throws -> Int? {
        switch value {
        case .int(let number): return number
        case .double(let number):
            guard number.isFinite, number.rounded() == number, abs(number) <= Double(1 << 53) else { return nil }
            return Int(number)
        default: return nil
        }
    }

    /// A finite number.
    public func float(_ key: String, default fallback: Float? = nil) throws -> Float {
        guard has(key) else {
            if let fallback { return fallback }
            throw fail("\"\(key)\" is missing or not a number")
        }
        guard let value = config[key]!.doubleValue, value.isFinite, abs(value) <= Double(Float.greatestFiniteMagnitude) else {
            throw fail("\"\(key)\" is missing or not a number")
        }
        return Float(value)
    }

    /// A boolean.
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard has(key) else { return fallback }
        guard let value = config[key]!.boolValue else { throw fail("\"\(key)\" must be true or false") }
        return value
    }

    /// A string.
    public func string(_ key: String, default fallback: String? = nil) throws -> String {
        guard has(key) else {
            if let fallback { return fallback }
            throw fail("\"\(key)\" is missing")
        }
        guard let value = config[key]!.stringValue else { throw fail("\"\(key)\" must be a string") }
        return value
    }

    /// A list of whole numbers (a single number counts as a list of one); -1 is allowed when `allowUnknown`.
    public func ints(_ key: String, allowUnknown: Bool = false) throws -> [Int]? {
        guard has(key) else { return nil }
        let items = config[key]!.arrayValue ?? [config[key]!]
        guard items.count <= 8 else { throw fail("\"\(key)\" has \(items.count) entries; at most 8 are supported") }
        var values: [Int] = []
        for item in items {
            guard let value = try KerasConfigReader.wholeNumber(item),
                  value <= KerasConfigReader.largestSize, value >= 0 || (allowUnknown && value == -1) else {
                throw fail("\"\(key)\" must hold whole numbers between 0 and \(KerasConfigReader.largestSize), got \(config[key]!)")
            }
            values.append(value)
        }
        return values
    }

    /// A 2-D window (kernel, pool or stride size); nil when absent.
    public func window(_ key: String) throws -> WindowSize? {
        guard let values = try ints(key) else { return nil }
        guard (1...2).contains(values.count) else { throw fail("\"\(key)\" must have one or two sizes") }
        guard values.allSatisfy({ $0 >= 1 }) else { throw fail("\"\(key)\" sizes must be at least 1, got \(values)") }
        return WindowSize(values[0], values.count == 2 ? values[1] : values[0])
    }

    /// Keras's activation (a string, or a serialised activation object); `linear` when absent.
    public func activation(_ key: String = "activation") throws -> ActivationFunction {
        guard has(key) else { return .linear }
        let value = config[key]!
        let name: String?
        if let text = value.stringValue { name = text } else { name = value["config"]?.stringValue ?? value["class_name"]?.stringValue }
        guard let name else { throw fail("\"\(key)\" must name an activation") }
        guard let function = try? ActivationFunction.named(name) else {
            throw fail("activation '\(name)' is not supported; use one of \(ActivationFunction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return function
    }

    /// 'valid' or 'same'.
    public func padding() throws -> Padding {
        let name = try string("padding", default: "valid")
        guard let padding = Padding(rawValue: name) else { throw fail("padding '\(name)' is not supported (use valid or same)") }
        return padding
    }

    /// Refuses channels_first data.
    public func requireChannelsLast() throws {
        if try string("data_format", default: "channels_last") == "channels_first" {
            throw fail("channels_first data is not supported; Kestrel is channels_last (NHWC)")
        }
    }

    /// A serialised initializer (`{"class_name": "GlorotUniform", …}` or a string); `fallback` when absent.
    public func initializer(_ key: String, default fallback: Initializer) throws -> Initializer {
        guard has(key) else { return fallback }
        do { return try KerasObjects.initializer(from: config[key]!) } catch let error as KestrelError { throw fail("\"\(key)\": \(error.message)") }
    }

    /// A serialised regularizer (L1, L2, L1L2); nil when absent.
    public func regularizer(_ key: String) throws -> Regularizer? {
        guard has(key) else { return nil }
        do { return try KerasObjects.regularizer(from: config[key]!) } catch let error as KestrelError { throw fail("\"\(key)\": \(error.message)") }
    }

    /// Refuses settings Kestrel does not implement (a constraint, a non-default value).
    public func requireAbsent(_ keys: [String]) throws {
        for key in keys where has(key) { throw fail("\"\(key)\" is not supported by Kestrel (got \(config[key]!)); remove it") }
    }

    /// Refuses `key` unless it is missing or equal to `expected`.
    public func require(_ key: String, equals expected: ConfigValue) throws {
        guard has(key) else { return }
        let value = config[key]!
        if value == expected { return }
        if let number = value.doubleValue, let wanted = expected.doubleValue, number == wanted { return }
        if let wanted = expected.arrayValue, let items = value.arrayValue, items.count == wanted.count,
           zip(items, wanted).allSatisfy({ $0.doubleValue != nil && $0.doubleValue == $1.doubleValue }) { return }
        throw fail("\"\(key)\" = \(value) is not supported by Kestrel (only \(expected))")
    }
}
