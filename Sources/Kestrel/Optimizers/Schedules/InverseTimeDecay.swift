/// Keras 3's `InverseTimeDecay`: `initialLearningRate / (1 + decayRate · step / decaySteps)`, with
/// `step / decaySteps` rounded down when `staircase` is true. The "Overfit and underfit" tutorial's
/// schedule (`InverseTimeDecay(0.001, decaySteps: stepsPerEpoch * 1000, decayRate: 1)`).
public struct InverseTimeDecay: LearningRateSchedule, KerasSerializable {
    /// The rate at step 0.
    public let initialLearningRate: Float
    /// The number of steps that add `decayRate` to the denominator once.
    public let decaySteps: Int
    /// How fast the rate falls.
    public let decayRate: Float
    /// Whether `step / decaySteps` is rounded down.
    public let staircase: Bool
    /// The schedule's name.
    public let name: String

    /// Makes the schedule with Keras's defaults; throws unless `decaySteps` > 0 and the rates are finite and ≥ 0.
    public init(initialLearningRate: Float, decaySteps: Int, decayRate: Float, staircase: Bool = false,
                name: String = "InverseTimeDecay") throws {
        try ScheduleArgument.nonNegative(initialLearningRate, "initialLearningRate", in: "InverseTimeDecay")
        try ScheduleArgument.positive(decaySteps, "decaySteps", in: "InverseTimeDecay")
        try ScheduleArgument.nonNegative(decayRate, "decayRate", in: "InverseTimeDecay")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
        self.name = name
    }

    /// The rate at `step`.
    public func callAsFunction(step: Int) -> Float {
        var fraction = Float(step) / Float(decaySteps)
        if staircase { fraction.round(.down) }
        return initialLearningRate / (1 + decayRate * fraction)
    }

    /// Keras's `from_config()`.
    public init(config fields: KerasConfigReader) throws {
        try self.init(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                      decayRate: fields.float("decay_rate"), staircase: fields.bool("staircase", default: false),
                      name: fields.string("name", default: "InverseTimeDecay"))
    }

    /// Keras's config keys.
    public func getConfig() -> LayerConfig {
        ["initial_learning_rate": ScheduleArgument.number(initialLearningRate), "decay_steps": .int(decaySteps),
         "decay_rate": ScheduleArgument.number(decayRate), "staircase": .bool(staircase), "name": .string(name)]
    }
}
