/// What a learning-rate schedule's config holds beyond `KerasConfigReader`'s accessors: step counts
/// (whole numbers within ±2⁵³, where a Float step can still be told apart; the schedule's own
/// check then rules out ≤ 0 where Keras does) and lists of steps and rates.
extension KerasConfigReader {
    /// The largest step count a config may give.
    static let largestStep = 1 << 53

    /// A whole number of steps; `default` when absent, an error when absent without a default.
    func steps(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard has(key) else {
            if let fallback { return fallback }
            throw fail("\"\(key)\" is missing")
        }
        return try step(config[key]!, key)
    }

    private func step(_ value: ConfigValue, _ key: String) throws -> Int {
        guard let number = try KerasConfigReader.wholeNumber(value), abs(number) <= KerasConfigReader.largestStep else {
            throw fail("\"\(key)\" must be a whole number of steps, got \(value)")
        }
        return number
    }

    /// A finite number, or nil when absent or null.
    func optionalFloat(_ key: String) throws -> Float? { has(key) ? try float(key) : nil }

    /// A list of whole numbers of steps.
    func stepList(_ key: String) throws -> [Int] {
        guard let items = config[key]?.arrayValue else { throw fail("\"\(key)\" must be a list of steps") }
        return try items.map { try step($0, key) }
    }

    /// A list of finite numbers.
    func floatList(_ key: String) throws -> [Float] {
        guard let items = config[key]?.arrayValue else { throw fail("\"\(key)\" must be a list of numbers") }
        return try items.map { item in
            guard let number = item.doubleValue, number.isFinite, abs(number) <= Double(Float.greatestFiniteMagnitude) else {
                throw fail("\"\(key)\" must hold finite numbers, got \(item)")
            }
            return Float(number)
        }
    }
}
