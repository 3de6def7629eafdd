/// Keras 3's `PiecewiseConstantDecay`: `values[0]` while `step ≤ boundaries[0]`, `values[i]` while
/// `boundaries[i-1] < step ≤ boundaries[i]`, and the last value after the last boundary.
public struct PiecewiseConstantDecay: LearningRateSchedule, KerasSerializable {
    /// The steps where the rate changes, strictly increasing.
    public let boundaries: [Int]
    /// The rates, one more than `boundaries`.
    public let values: [Float]
    /// The schedule's name.
    public let name: String

    /// Makes the schedule; throws unless there is one more value than boundaries, the boundaries
    /// strictly increase and every value is finite and ≥ 0. (Keras checks only the counts; a boundary
    /// list that goes down would make some values unreachable, which is never what was meant.)
    public init(boundaries: [Int], values: [Float], name: String = "PiecewiseConstant") throws {
        guard values.count == boundaries.count + 1 else {
            throw KestrelError.invalidArgument(
                "PiecewiseConstantDecay: values must hold one more entry than boundaries; got \(boundaries.count) boundaries and \(values.count) values.")
        }
        for (index, pair) in zip(boundaries, boundaries.dropFirst()).enumerated() where pair.1 <= pair.0 {
            throw KestrelError.invalidArgument(
                "PiecewiseConstantDecay: boundaries must increase strictly; boundaries[\(index + 1)] = \(pair.1) follows \(pair.0).")
        }
        for (index, value) in values.enumerated() {
            try ScheduleArgument.nonNegative(value, "values[\(index)]", in: "PiecewiseConstantDecay")
        }
        self.boundaries = boundaries
        self.values = values
        self.name = name
    }

    /// The rate at `step`: the value of the first interval whose upper boundary is ≥ `step` (found by
    /// bisection, as the boundaries increase).
    public func callAsFunction(step: Int) -> Float {
        var low = 0, high = boundaries.count
        while low < high {
            let middle = low + (high - low) / 2
            if boundaries[middle] < step { low = middle + 1 } else { high = middle }
        }
        return values[low]
    }

    /// Keras's `from_config()`.
    public init(config fields: KerasConfigReader) throws {
        try self.init(boundaries: fields.stepList("boundaries"), values: fields.floatList("values"),
                      name: fields.string("name", default: "PiecewiseConstant"))
    }

    /// Keras's config keys.
    public func getConfig() -> LayerConfig {
        ["boundaries": .ints(boundaries), "values": .array(values.map(ScheduleArgument.number)), "name": .string(name)]
    }
}
