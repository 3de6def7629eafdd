/// Learning-rate schedules in Keras 3's serialised form, as an optimizer config's `learning_rate`
/// holds them: `{"module": "keras.optimizers.schedules", "class_name": …, "config": {…}, "registered_name": null}`.
enum LearningRateScheduleConfig {
    /// Keras's module for its schedules.
    static let module = "keras.optimizers.schedules"

    /// The class names `schedule(from:)` reads.
    static let supportedClassNames = ["ExponentialDecay", "InverseTimeDecay", "PiecewiseConstantDecay", "CosineDecay", "PolynomialDecay"]

    /// The schedule as Keras serialises it.
    static func serialize(_ schedule: any LearningRateSchedule) -> ConfigValue {
        KerasObjects.object(module: module, className: schedule.className, config: schedule.getConfig())
    }

    /// The schedule a serialised `learning_rate` object describes; throws naming the schedule and the
    /// argument when the object is not one Kestrel knows or an argument is missing or out of range.
    static func schedule(from value: ConfigValue) throws -> any LearningRateSchedule {
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("\"learning_rate\" must be a number or a {\"class_name\": …} schedule object")
        }
        try KerasObjects.refuseCustom(value, className: className)
        guard let config = value["config"]?.objectValue else {
            throw KestrelError.invalidData("learning-rate schedule \(className): \"config\" must be an object")
        }
        let fields = ScheduleFields(className: className, config: config)
        do {
            return try make(className, fields)
        } catch KestrelError.invalidArgument(let message) {
            throw KestrelError.invalidData("learning-rate schedule \(message)")
        }
    }

    private static func make(_ className: String, _ fields: ScheduleFields) throws -> any LearningRateSchedule {
        switch className {
        case "ExponentialDecay":
            return try ExponentialDecay(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                                        decayRate: fields.float("decay_rate"), staircase: fields.bool("staircase"),
                                        name: fields.name(default: className))
        case "InverseTimeDecay":
            return try InverseTimeDecay(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                                        decayRate: fields.float("decay_rate"), staircase: fields.bool("staircase"),
                                        name: fields.name(default: className))
        case "PiecewiseConstantDecay":
            return try PiecewiseConstantDecay(boundaries: fields.stepList("boundaries"), values: fields.floatList("values"),
                                              name: fields.name(default: "PiecewiseConstant"))
        case "CosineDecay":
            return try CosineDecay(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                                   alpha: fields.float("alpha", default: 0), name: fields.name(default: className),
                                   warmupTarget: fields.optionalFloat("warmup_target"),
                                   warmupSteps: fields.steps("warmup_steps", default: 0))
        case "PolynomialDecay":
            return try PolynomialDecay(initialLearningRate: fields.float("initial_learning_rate"), decaySteps: fields.steps("decay_steps"),
                                       endLearningRate: fields.float("end_learning_rate", default: 0.0001),
                                       power: fields.float("power", default: 1), cycle: fields.bool("cycle"),
                                       name: fields.name(default: className))
        default:
            throw KestrelError.invalidData(
                "learning-rate schedule \(className) is not supported; use one of \(supportedClassNames.joined(separator: ", ")) or a constant learning rate")
        }
    }
}
