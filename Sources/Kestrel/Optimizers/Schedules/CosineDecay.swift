#if canImport(Glibc)
import Glibc
#endif

/// Keras 3's `CosineDecay`, with optional linear warmup: with `warmupTarget` set, the rate rises in a
/// line from `initialLearningRate` to `warmupTarget` over `warmupSteps` steps, then falls along half a
/// cosine to `alpha · warmupTarget` over `decaySteps` steps; without it, it falls from
/// `initialLearningRate` to `alpha · initialLearningRate`. Past the end it stays at the floor.
public struct CosineDecay: LearningRateSchedule, KerasSerializable {
    /// The rate at step 0.
    public let initialLearningRate: Float
    /// The length of the cosine decay, in steps.
    public let decaySteps: Int
    /// The floor, as a fraction of the rate the decay starts from.
    public let alpha: Float
    /// The rate the warmup reaches; nil for no warmup.
    public let warmupTarget: Float?
    /// The length of the warmup, in steps.
    public let warmupSteps: Int
    /// The schedule's name.
    public let name: String

    /// Makes the schedule with Keras's defaults; throws unless `decaySteps` > 0, `warmupSteps` ≥ 0 and
    /// the rates and `alpha` are finite and ≥ 0.
    public init(initialLearningRate: Float, decaySteps: Int, alpha: Float = 0, name: String = "CosineDecay",
                warmupTarget: Float? = nil, warmupSteps: Int = 0) throws {
        try ScheduleArgument.nonNegative(initialLearningRate, "initialLearningRate", in: "CosineDecay")
        try ScheduleArgument.positive(decaySteps, "decaySteps", in: "CosineDecay")
        try ScheduleArgument.nonNegative(alpha, "alpha", in: "CosineDecay")
        if let warmupTarget { try ScheduleArgument.nonNegative(warmupTarget, "warmupTarget", in: "CosineDecay") }
        guard warmupSteps >= 0 else {
            throw KestrelError.invalidArgument("CosineDecay: warmupSteps must be ≥ 0, got \(warmupSteps).")
        }
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.alpha = alpha
        self.warmupTarget = warmupTarget
        self.warmupSteps = warmupSteps
        self.name = name
    }

    /// The rate at `step`.
    public func callAsFunction(step: Int) -> Float {
        let decayLength = Float(decaySteps)
        guard let warmupTarget else {
            return decayed(from: initialLearningRate, after: min(Float(step), decayLength))
        }
        let warmupLength = Float(warmupSteps)
        let clamped = min(Float(step), decayLength + warmupLength)
        if clamped < warmupLength {
            return (warmupTarget - initialLearningRate) * (clamped / warmupLength) + initialLearningRate
        }
        return decayed(from: warmupTarget, after: clamped - warmupLength)
    }

    private func decayed(from start: Float, after steps: Float) -> Float {
        let cosine = 0.5 * (1 + cosf(Float.pi * (steps / Float(decaySteps))))
        return start * ((1 - alpha) * cosine + alpha)
    }

    /// Keras's `from_config()`.
    public init(config fields: KerasConfigReader) throws {
        try self.init(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                      alpha: fields.float("alpha", default: 0), name: fields.string("name", default: "CosineDecay"),
                      warmupTarget: fields.optionalFloat("warmup_target"), warmupSteps: fields.steps("warmup_steps", default: 0))
    }

    /// Keras's config keys.
    public func getConfig() -> LayerConfig {
        ["initial_learning_rate": ScheduleArgument.number(initialLearningRate), "decay_steps": .int(decaySteps),
         "alpha": ScheduleArgument.number(alpha), "name": .string(name),
         "warmup_target": warmupTarget.map(ScheduleArgument.number) ?? .null, "warmup_steps": .int(warmupSteps)]
    }
}
