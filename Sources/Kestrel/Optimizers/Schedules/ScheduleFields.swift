/// Reads the arguments of one serialised learning-rate schedule with checks; each failure is an
/// `invalidData` error naming the schedule and the Keras argument.
struct ScheduleFields {
    /// Keras's class name of the schedule.
    let className: String
    /// Its `config` object.
    let config: LayerConfig

    /// The largest step count a config may give (beyond it a Float step cannot be told apart anyway).
    static let largestStep = 1 << 53

    private func fail(_ key: String, _ problem: String) -> KestrelError {
        .invalidData("learning-rate schedule \(className): \"\(key)\" \(problem)")
    }

    private func present(_ key: String) -> ConfigValue? {
        guard let value = config[key], value != .null else { return nil }
        return value
    }

    /// A finite number; `default` when absent, an error when absent without a default.
    func float(_ key: String, default fallback: Float? = nil) throws -> Float {
        guard let value = present(key) else {
            if let fallback { return fallback }
            throw fail(key, "is missing")
        }
        return try number(value, key)
    }

    /// A finite number, or nil when absent or null.
    func optionalFloat(_ key: String) throws -> Float? {
        try present(key).map { try number($0, key) }
    }

    private func number(_ value: ConfigValue, _ key: String) throws -> Float {
        guard let number = value.doubleValue, number.isFinite, abs(number) <= Double(Float.greatestFiniteMagnitude) else {
            throw fail(key, "must be a finite number, got \(value)")
        }
        return Float(number)
    }

    /// A whole number of steps within ±2⁵³ (the schedule's own check then rules out ≤ 0 where Keras does).
    func steps(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let value = present(key) else {
            if let fallback { return fallback }
            throw fail(key, "is missing")
        }
        return try step(value, key)
    }

    private func step(_ value: ConfigValue, _ key: String) throws -> Int {
        guard let number = try KerasConfigReader.wholeNumber(value), abs(number) <= ScheduleFields.largestStep else {
            throw fail(key, "must be a whole number of steps, got \(value)")
        }
        return number
    }

    /// A list of whole numbers of steps.
    func stepList(_ key: String) throws -> [Int] {
        guard let items = present(key)?.arrayValue else { throw fail(key, "must be a list of steps") }
        return try items.map { try step($0, key) }
    }

    /// A list of finite numbers.
    func floatList(_ key: String) throws -> [Float] {
        guard let items = present(key)?.arrayValue else { throw fail(key, "must be a list of numbers") }
        return try items.map { try number($0, key) }
    }

    /// A boolean, false when absent.
    func bool(_ key: String) throws -> Bool {
        guard let value = present(key) else { return false }
        guard let flag = value.boolValue else { throw fail(key, "must be true or false, got \(value)") }
        return flag
    }

    /// The schedule's name, `fallback` when absent.
    func name(default fallback: String) throws -> String {
        guard let value = present("name") else { return fallback }
        guard let text = value.stringValue else { throw fail("name", "must be a string, got \(value)") }
        return text
    }
}
