/// What `evaluate` returns: the loss and each compiled metric, by name and in Keras's order
/// (`values[0]` is the loss).
public struct EvaluationResult: Sendable, Equatable, CustomStringConvertible {
    /// Names in order: "loss", then the metrics.
    public let names: [String]
    /// Values in the order of `names`.
    public let values: [Double]

    /// The loss.
    public var loss: Double { values.first ?? .nan }

    /// A value by name ("loss", "accuracy"…).
    public subscript(name: String) -> Double? {
        names.firstIndex(of: name).map { values[$0] }
    }

    /// A value by position, as Keras's list: `score[0]` is the loss, `score[1]` the first metric; a negative
    /// index counts from the end (`score[-1]`). Out of range traps, as an array index does.
    public subscript(index: Int) -> Double {
        values[index < 0 ? values.count + index : index]
    }

    /// The number of values (loss and metrics), as `len(score)`.
    public var count: Int { values.count }

    /// The values as a dictionary (Keras's `return_dict=True`).
    public var dictionary: [String: Double] { Dictionary(uniqueKeysWithValues: zip(names, values)) }

    /// "loss: 0.3512 - accuracy: 0.8734", as Keras's progress line prints them.
    public var description: String {
        zip(names, values).map { "\($0): \(ProgressFormatting.value($1))" }.joined(separator: " - ")
    }
}
