#if canImport(Glibc)
import Glibc
#endif

/// Keras 3's `PolynomialDecay`: `(initial − end) · (1 − step / decaySteps)^power + end`, holding
/// `endLearningRate` after `decaySteps` steps; with `cycle`, the decay restarts over the next
/// multiple of `decaySteps` instead (`decaySteps · ⌈step / decaySteps⌉`, 1 at step 0).
public struct PolynomialDecay: LearningRateSchedule, KerasSerializable {
    /// The rate at step 0.
    public let initialLearningRate: Float
    /// The length of the decay, in steps.
    public let decaySteps: Int
    /// The rate at the end of the decay.
    public let endLearningRate: Float
    /// The polynomial's power (1 is a straight line).
    public let power: Float
    /// Whether the decay restarts past `decaySteps`.
    public let cycle: Bool
    /// The schedule's name.
    public let name: String

    /// Makes the schedule with Keras's defaults; throws unless `decaySteps` > 0, the rates are finite
    /// and ≥ 0 and `power` is finite.
    public init(initialLearningRate: Float, decaySteps: Int, endLearningRate: Float = 0.0001, power: Float = 1,
                cycle: Bool = false, name: String = "PolynomialDecay") throws {
        try ScheduleArgument.nonNegative(initialLearningRate, "initialLearningRate", in: "PolynomialDecay")
        try ScheduleArgument.positive(decaySteps, "decaySteps", in: "PolynomialDecay")
        try ScheduleArgument.nonNegative(endLearningRate, "endLearningRate", in: "PolynomialDecay")
        try ScheduleArgument.finite(power, "power", in: "PolynomialDecay")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.endLearningRate = endLearningRate
        self.power = power
        self.cycle = cycle
        self.name = name
    }

    /// The rate at `step`.
    public func callAsFunction(step: Int) -> Float {
        var position = Float(step)
        var length = Float(decaySteps)
        if cycle {
            length *= step == 0 ? 1 : (position / length).rounded(.up)
        } else {
            position = min(position, length)
        }
        let remaining = 1 - position / length
        return (initialLearningRate - endLearningRate) * powf(remaining, power) + endLearningRate
    }

    /// Keras's `from_config()`.
    public init(config fields: KerasConfigReader) throws {
        try self.init(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                      endLearningRate: fields.float("end_learning_rate", default: 0.0001), power: fields.float("power", default: 1),
                      cycle: fields.bool("cycle", default: false), name: fields.string("name", default: "PolynomialDecay"))
    }

    /// Keras's config keys.
    public func getConfig() -> LayerConfig {
        ["initial_learning_rate": ScheduleArgument.number(initialLearningRate), "decay_steps": .int(decaySteps),
         "end_learning_rate": ScheduleArgument.number(endLearningRate), "power": ScheduleArgument.number(power),
         "cycle": .bool(cycle), "name": .string(name)]
    }
}
