/// Optimizers in Keras 3's form: the serialised config in `compile_config`, and the order of the
/// optimizer's variables in `optimizer/vars` (0: iterations, 1: learning rate, then the slots).
enum KerasOptimizerConfig {
    /// The optimizers Kestrel reads and writes in Keras's form (each declares its name, config and
    /// `init(config:)` in its own file).
    static let types: [(Optimizer & KerasSerializable).Type] = [Adam.self, AdamW.self, SGD.self, RMSprop.self, Adagrad.self]

    /// Keras's class name for a Kestrel optimizer.
    static func className(of optimizer: Optimizer) throws -> String {
        guard let type = type(of: optimizer) as? KerasSerializable.Type else {
            throw KestrelError.invalidArgument("The optimizer '\(optimizer.name)' has no Keras 3 equivalent Kestrel can save; compile with \(names).")
        }
        return type.kerasClassName
    }

    private static var names: String { types.map { $0.kerasClassName }.joined(separator: ", ") }

    /// The serialised optimizer, as `compile_config["optimizer"]` holds it.
    static func serialize(_ optimizer: Optimizer) throws -> ConfigValue {
        KerasObjects.object(module: "keras.optimizers", className: try className(of: optimizer), config: optimizer.config)
    }

    /// The optimizer for a serialised object or a Keras string ("adam"); a `learning_rate` schedule
    /// object becomes the optimizer's `learningRateSchedule`.
    static func optimizer(from value: ConfigValue) throws -> Optimizer {
        if let name = value.stringValue { return try Optimizer.named(name) }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("\"optimizer\" must be a name or a {\"class_name\": …} object")
        }
        try KerasObjects.refuseCustom(value, className: className)
        let reader = KerasConfigReader(className: className, number: 0, config: value["config"]?.objectValue ?? [:], kind: "optimizer")
        guard let type = types.first(where: { $0.kerasClassName == className }) else {
            throw reader.fail("this optimizer is not supported (use \(names))")
        }
        let optimizer = try type.init(config: reader)
        if let rate = value["config"]?["learning_rate"], rate.objectValue != nil {
            optimizer.setLearningRate(try LearningRateScheduleConfig.schedule(from: rate))
        }
        return optimizer
    }

    /// Keras's slot order: each group is one `add_optimizer_variables` call in the optimizer's `build`,
    /// which makes, for every trainable variable in turn, one slot per name in the group. The numbers
    /// are indices into Kestrel's `slotTensors(for:)`.
    static func slotGroups(of optimizer: Optimizer) -> [[Int]] {
        switch optimizer {
        case let adam as Adam: return [[0, 1]] + (adam.amsgrad ? [[2]] : [])
        case let sgd as SGD: return sgd.momentum != 0 ? [[0]] : []
        case let rmsprop as RMSprop:
            return [[0]] + (rmsprop.momentum > 0 ? [[1]] : []) + (rmsprop.centered ? [[optimizer.slotCount - 1]] : [])
        default: return optimizer.slotCount > 0 ? [Array(0..<optimizer.slotCount)] : []
        }
    }

    /// The slots in Keras's `optimizer/vars` order (after iterations and learning rate), each as
    /// (variable, Kestrel slot index).
    static func slotOrder(of optimizer: Optimizer, variables: [Variable]) -> [(variable: Variable, slot: Int)] {
        slotGroups(of: optimizer).flatMap { group in variables.flatMap { variable in group.map { (variable, $0) } } }
    }
}

extension KerasConfigReader {
    /// The settings every Keras optimizer has: the learning rate (`defaultLearningRate` when absent or a
    /// schedule, which the caller sets), weight decay and the clipping options; refuses EMA, loss scaling
    /// and gradient accumulation, which Kestrel does not implement.
    func optimizerArguments(defaultLearningRate: Float) throws
        -> (learningRate: Float, weightDecay: Float?, clipnorm: Float?, clipvalue: Float?, globalClipnorm: Float?) {
        if let rate = config["learning_rate"], rate.doubleValue == nil, rate.objectValue == nil {
            throw fail("\"learning_rate\" must be a number or a schedule object, got \(rate)")
        }
        if try bool("use_ema", default: false) { throw fail("use_ema is not supported") }
        try requireAbsent(["loss_scale_factor", "gradient_accumulation_steps"])
        func optional(_ key: String) throws -> Float? { has(key) ? try float(key) : nil }
        let learningRate = config["learning_rate"]?.objectValue != nil ? defaultLearningRate : try float("learning_rate", default: defaultLearningRate)
        return (learningRate, try optional("weight_decay"), try optional("clipnorm"), try optional("clipvalue"), try optional("global_clipnorm"))
    }
}
