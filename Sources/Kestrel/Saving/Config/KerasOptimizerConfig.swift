/// Optimizers in Keras 3's form: the serialised config in `compile_config`, and the order of the
/// optimizer's variables in `optimizer/vars` (0: iterations, 1: learning rate, then the slots).
enum KerasOptimizerConfig {
    /// Keras's class name for a Kestrel optimizer.
    static func className(of optimizer: Optimizer) throws -> String {
        switch optimizer {
        case is AdamW: return "AdamW"
        case is Adam: return "Adam"
        case is SGD: return "SGD"
        case is RMSprop: return "RMSprop"
        case is Adagrad: return "Adagrad"
        default:
            throw KestrelError.invalidArgument("The optimizer '\(optimizer.name)' has no Keras 3 equivalent Kestrel can save; compile with Adam, AdamW, SGD, RMSprop or Adagrad.")
        }
    }

    /// The serialised optimizer, as `compile_config["optimizer"]` holds it.
    static func serialize(_ optimizer: Optimizer) throws -> ConfigValue {
        let number = KerasObjects.number
        let optional: (Float?) -> ConfigValue = { $0.map(number) ?? .null }
        var config: LayerConfig = [
            "name": .string(optimizer.name),
            "learning_rate": optimizer.learningRateSchedule.map(LearningRateScheduleConfig.serialize) ?? number(optimizer.learningRate),
            "weight_decay": optional(optimizer.weightDecay), "clipnorm": optional(optimizer.clipnorm),
            "global_clipnorm": optional(optimizer.globalClipnorm), "clipvalue": optional(optimizer.clipvalue),
            "use_ema": .bool(false), "ema_momentum": .double(0.99), "ema_overwrite_frequency": .null,
            "loss_scale_factor": .null, "gradient_accumulation_steps": .null,
        ]
        switch optimizer {
        case let adam as Adam:
            config.merge(["beta_1": number(adam.beta1), "beta_2": number(adam.beta2), "epsilon": number(adam.epsilon),
                          "amsgrad": .bool(adam.amsgrad)]) { $1 }
        case let sgd as SGD:
            config.merge(["momentum": number(sgd.momentum), "nesterov": .bool(sgd.nesterov)]) { $1 }
        case let rmsprop as RMSprop:
            config.merge(["rho": number(rmsprop.rho), "momentum": number(rmsprop.momentum), "epsilon": number(rmsprop.epsilon),
                          "centered": .bool(rmsprop.centered)]) { $1 }
        case let adagrad as Adagrad:
            config.merge(["initial_accumulator_value": number(adagrad.initialAccumulatorValue), "epsilon": number(adagrad.epsilon)]) { $1 }
        default: break
        }
        return KerasObjects.object(module: "keras.optimizers", className: try className(of: optimizer), config: config)
    }

    /// The optimizer for a serialised object or a Keras string ("adam"); a `learning_rate` schedule
    /// object becomes the optimizer's `learningRateSchedule`.
    static func optimizer(from value: ConfigValue) throws -> Optimizer {
        let optimizer = try optimizerWithConstantRate(from: value)
        if let rate = value["config"]?["learning_rate"], rate.objectValue != nil {
            optimizer.setLearningRate(try LearningRateScheduleConfig.schedule(from: rate))
        }
        return optimizer
    }

    private static func optimizerWithConstantRate(from value: ConfigValue) throws -> Optimizer {
        if let name = value.stringValue { return try Optimizer.named(name) }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("\"optimizer\" must be a name or a {\"class_name\": …} object")
        }
        try KerasObjects.refuseCustom(value, className: className)
        let reader = KerasConfigReader(className: className, number: 0, config: value["config"]?.objectValue ?? [:])
        func fail(_ problem: String) -> KestrelError { .invalidData("optimizer \(className): \(problem)") }
        if let rate = reader.config["learning_rate"], rate.doubleValue == nil, rate.objectValue == nil {
            throw fail("\"learning_rate\" must be a number or a schedule object, got \(rate)")
        }
        if try reader.bool("use_ema", default: false) { throw fail("use_ema is not supported") }
        try reader.requireAbsent(["loss_scale_factor", "gradient_accumulation_steps"])
        func float(_ key: String, _ fallback: Float) throws -> Float {
            do { return try reader.float(key, default: fallback) } catch { throw fail("\"\(key)\" must be a number") }
        }
        func optional(_ key: String) throws -> Float? { reader.has(key) ? try float(key, 0) : nil }
        let fallbackRate: Float = className == "SGD" ? 0.01 : 0.001
        let learningRate = reader.config["learning_rate"]?.objectValue != nil ? fallbackRate : try float("learning_rate", fallbackRate)
        let (decay, clipnorm, clipvalue, globalClipnorm) = (try optional("weight_decay"), try optional("clipnorm"),
                                                            try optional("clipvalue"), try optional("global_clipnorm"))
        switch className {
        case "Adam", "AdamW":
            let (beta1, beta2, epsilon) = (try float("beta_1", 0.9), try float("beta_2", 0.999), try float("epsilon", 1e-7))
            let amsgrad = try reader.bool("amsgrad", default: false)
            if className == "AdamW" {
                return try AdamW(learningRate: learningRate, weightDecay: decay ?? 0.004, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                 amsgrad: amsgrad, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
            }
            return try Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                            weightDecay: decay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        case "SGD":
            return try SGD(learningRate: learningRate, momentum: try float("momentum", 0), nesterov: try reader.bool("nesterov", default: false),
                           weightDecay: decay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        case "RMSprop":
            return try RMSprop(learningRate: learningRate, rho: try float("rho", 0.9), momentum: try float("momentum", 0),
                               epsilon: try float("epsilon", 1e-7), centered: try reader.bool("centered", default: false),
                               weightDecay: decay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        case "Adagrad":
            return try Adagrad(learningRate: learningRate, initialAccumulatorValue: try float("initial_accumulator_value", 0.1),
                               epsilon: try float("epsilon", 1e-7), weightDecay: decay, clipnorm: clipnorm, clipvalue: clipvalue,
                               globalClipnorm: globalClipnorm)
        default:
            throw fail("this optimizer is not supported (use Adam, AdamW, SGD, RMSprop or Adagrad)")
        }
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
