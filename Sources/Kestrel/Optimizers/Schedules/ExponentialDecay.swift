#if canImport(Glibc)
import Glibc
#endif

/// Keras 3's `ExponentialDecay`: `initialLearningRate · decayRate^(step / decaySteps)`, with the
/// exponent rounded down to a whole number when `staircase` is true (the rate drops in steps).
public struct ExponentialDecay: LearningRateSchedule, KerasSerializable {
    /// The rate at step 0.
    public let initialLearningRate: Float
    /// The number of steps over which the rate is multiplied by `decayRate` once.
    public let decaySteps: Int
    /// The factor per `decaySteps` steps.
    public let decayRate: Float
    /// Whether the exponent is rounded down (the rate changes every `decaySteps` steps only).
    public let staircase: Bool
    /// The schedule's name.
    public let name: String

    /// Makes the schedule with Keras's defaults; throws unless `decaySteps` > 0 and the rates are finite and ≥ 0.
    public init(initialLearningRate: Float, decaySteps: Int, decayRate: Float, staircase: Bool = false,
                name: String = "ExponentialDecay") throws {
        try ScheduleArgument.nonNegative(initialLearningRate, "initialLearningRate", in: "ExponentialDecay")
        try ScheduleArgument.positive(decaySteps, "decaySteps", in: "ExponentialDecay")
        try ScheduleArgument.nonNegative(decayRate, "decayRate", in: "ExponentialDecay")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
        self.name = name
    }

    /// The rate at `step`.
    public func callAsFunction(step: Int) -> Float {
        var exponent = Float(step) / Float(decaySteps)
        if staircase { exponent.round(.down) }
        return initialLearningRate * powf(decayRate, exponent)
    }

    /// Keras's `from_config()`.
    public init(config fields: KerasConfigReader) throws {
        try self.init(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                      decayRate: fields.float("decay_rate"), staircase: fields.bool("staircase", default: false),
                      name: fields.string("name", default: "ExponentialDecay"))
    }

    /// Keras's config keys.
    public func getConfig() -> LayerConfig {
        ["initial_learning_rate": ScheduleArgument.number(initialLearningRate), "decay_steps": .int(decaySteps),
         "decay_rate": ScheduleArgument.number(decayRate), "staircase": .bool(staircase), "name": .string(name)]
    }
}
