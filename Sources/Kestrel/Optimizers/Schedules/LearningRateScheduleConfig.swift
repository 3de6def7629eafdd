/// Learning-rate schedules in Keras 3's serialised form, as an optimizer config's `learning_rate`
/// holds them: `{"module": "keras.optimizers.schedules", "class_name": …, "config": {…}, "registered_name": null}`.
enum LearningRateScheduleConfig {
    /// Keras's module for its schedules.
    static let module = "keras.optimizers.schedules"

    /// The schedules Kestrel reads (each declares its `init(config:)` in its own file).
    static let types: [(LearningRateSchedule & KerasSerializable).Type] = [
        ExponentialDecay.self, InverseTimeDecay.self, PiecewiseConstantDecay.self, CosineDecay.self, PolynomialDecay.self,
    ]

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
        let fields = KerasConfigReader(className: className, number: 0, config: config, kind: "learning-rate schedule")
        do {
            return try make(className, fields)
        } catch KestrelError.invalidArgument(let message) {
            throw KestrelError.invalidData("learning-rate schedule \(message)")
        }
    }

    private static func make(_ className: String, _ fields: KerasConfigReader) throws -> any LearningRateSchedule {
        guard let type = types.first(where: { $0.kerasClassName == className }) else {
            let names = types.map { $0.kerasClassName }.joined(separator: ", ")
            throw KestrelError.invalidData("learning-rate schedule \(className) is not supported; use one of \(names) or a constant learning rate")
        }
        return try type.init(config: fields)
    }
}
