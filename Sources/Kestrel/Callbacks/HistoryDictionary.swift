/// `history.history`: metric name → one value per epoch, in the order Keras's dictionary has — the keys
/// `fit` logs sorted (`accuracy`, `loss`, `val_accuracy`, `val_loss`), then keys callbacks add
/// (`learning_rate`) in the order they first appear. `print(history.history)` reads as Python's
/// `print(history.history)`: `{'accuracy': [0.5, 0.75], 'loss': [0.69, 0.41]}`.
///
/// Reads like a dictionary (`history.history["loss"]`, `keys`, `values`, iteration in key order);
/// `dictionary` gives a plain Swift one. Two are equal when they hold the same series, whatever the order.
public struct HistoryDictionary: Sendable, Equatable, Sequence, CustomStringConvertible, ExpressibleByDictionaryLiteral {
    /// The keys in Keras's order.
    public private(set) var keys: [String] = []
    private var series: [String: [Double]] = [:]

    /// An empty history.
    public init() {}

    /// The series of `dictionary`, keys sorted.
    public init(_ dictionary: [String: [Double]]) {
        for key in dictionary.keys.sorted() { self[key] = dictionary[key] }
    }

    /// A history written as a literal, keys in the order written.
    public init(dictionaryLiteral elements: (String, [Double])...) {
        for (key, values) in elements { self[key] = values }
    }

    /// The values logged under `key`, or nil if never logged; setting nil removes the key.
    public subscript(key: String) -> [Double]? {
        get { series[key] }
        set {
            if newValue != nil && series[key] == nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            series[key] = newValue
        }
    }

    /// The values under `key`, or `defaultValue` (and the key is added when the result is modified).
    public subscript(key: String, default defaultValue: @autoclosure () -> [Double]) -> [Double] {
        get { series[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// The series in key order.
    public var values: [[Double]] { keys.map { series[$0] ?? [] } }
    /// The number of keys.
    public var count: Int { keys.count }
    /// Whether nothing was logged.
    public var isEmpty: Bool { keys.isEmpty }
    /// The series as a plain Swift dictionary.
    public var dictionary: [String: [Double]] { series }

    /// Whether `key` was logged.
    public func contains(_ key: String) -> Bool { series[key] != nil }

    /// The (key, values) pairs in key order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: [Double])]> {
        keys.map { (key: $0, value: series[$0] ?? []) }.makeIterator()
    }

    /// Python's `print` of Keras's dictionary: `{'loss': [0.5, 0.25], 'val_loss': [0.6000000238418579, …]}` —
    /// each value as the float32 Keras logs, widened to a Python float (so 0.6 prints as 0.6000000238418579).
    public var description: String {
        let entries = keys.map { key in
            "'\(key)': [" + (series[key] ?? []).map { PythonFloatText.repr(Double(Float($0))) }.joined(separator: ", ") + "]"
        }
        return "{" + entries.joined(separator: ", ") + "}"
    }

    /// Same keys with the same series (the order is not compared).
    public static func == (lhs: HistoryDictionary, rhs: HistoryDictionary) -> Bool { lhs.series == rhs.series }
}
