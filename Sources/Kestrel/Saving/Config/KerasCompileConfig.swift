/// A compiled model's `compile_config` as Keras 3 writes it (optimizer, loss, metrics and Keras's
/// other compile arguments at their defaults), and `compile` from it when loading.
enum KerasCompileConfig {
    /// The compile config of `model`, nil when it was never compiled.
    static func serialize(_ model: Model) throws -> ConfigValue? {
        guard let optimizer = model.optimizer, let loss = model.loss else { return nil }
        let metrics = model.metrics.map(\.name).filter { Metric.validNames.contains($0.lowercased()) }
        return .object([
            "optimizer": try KerasOptimizerConfig.serialize(optimizer), "loss": try serialize(loss), "loss_weights": .null,
            "metrics": metrics.isEmpty ? .null : .array(metrics.map(ConfigValue.string)), "weighted_metrics": .null,
            "run_eagerly": .bool(false), "steps_per_execution": .int(1), "jit_compile": .bool(false),
        ])
    }

    private static func serialize(_ loss: Loss) throws -> ConfigValue {
        let base: LayerConfig = ["name": .string(loss.name), "reduction": .string("sum_over_batch_size")]
        let module = "keras.losses"
        switch loss {
        case let sparse as SparseCategoricalCrossentropy:
            if !sparse.fromLogits, Loss.validNames.contains(loss.name) { return .string(loss.name) }
            return KerasObjects.object(module: module, className: "SparseCategoricalCrossentropy",
                                       config: base.merging(["from_logits": .bool(sparse.fromLogits), "ignore_class": .null]) { $1 })
        case let categorical as CategoricalCrossentropy:
            if !categorical.fromLogits, categorical.labelSmoothing == 0, Loss.validNames.contains(loss.name) { return .string(loss.name) }
            return KerasObjects.object(module: module, className: "CategoricalCrossentropy", config: base.merging([
                "from_logits": .bool(categorical.fromLogits), "label_smoothing": KerasObjects.number(categorical.labelSmoothing), "axis": .int(-1),
            ]) { $1 })
        case let binary as BinaryCrossentropy:
            if !binary.fromLogits, binary.labelSmoothing == 0, Loss.validNames.contains(loss.name) { return .string(loss.name) }
            return KerasObjects.object(module: module, className: "BinaryCrossentropy", config: base.merging([
                "from_logits": .bool(binary.fromLogits), "label_smoothing": KerasObjects.number(binary.labelSmoothing), "axis": .int(-1),
            ]) { $1 })
        case let huber as Huber:
            if huber.delta == 1, Loss.validNames.contains(loss.name) { return .string(loss.name) }
            return KerasObjects.object(module: module, className: "Huber", config: base.merging(["delta": KerasObjects.number(huber.delta)]) { $1 })
        default:
            guard Loss.validNames.contains(loss.name) else {
                throw KestrelError.invalidArgument("The loss '\(loss.name)' has no Keras 3 equivalent Kestrel can save; compile with one of \(Loss.validNames.joined(separator: ", ")).")
            }
            return .string(loss.name)
        }
    }

    /// Compiles `model` from a `compile_config` object.
    static func compile(_ model: Model, from config: ConfigValue) throws {
        guard config.objectValue != nil else { throw KestrelError.invalidData("\"compile_config\" must be an object") }
        guard let optimizerValue = config["optimizer"], optimizerValue != .null else { return }
        let optimizer = try KerasOptimizerConfig.optimizer(from: optimizerValue)
        guard let lossValue = config["loss"], lossValue != .null else {
            throw KestrelError.invalidData("\"compile_config\" has an optimizer but no loss")
        }
        if let weights = config["loss_weights"], weights != .null { throw KestrelError.invalidData("loss_weights are not supported") }
        let loss = try self.loss(from: lossValue)
        var metrics: [Metric] = []
        for item in config["metrics"]?.arrayValue ?? [] {
            metrics.append(try metric(from: item, loss: loss))
        }
        try model.compile(optimizer: optimizer, loss: loss, metrics: metrics)
    }

    private static func loss(from value: ConfigValue) throws -> Loss {
        if let name = value.stringValue { return try Loss.named(name) }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("\"loss\" must be a name or a {\"class_name\": …} object")
        }
        try KerasObjects.refuseCustom(value, className: className)
        let config = value["config"]?.objectValue ?? [:]
        let fromLogits = config["from_logits"]?.boolValue ?? false
        let smoothing = Float(config["label_smoothing"]?.doubleValue ?? 0)
        switch className {
        case "SparseCategoricalCrossentropy":
            if let ignored = config["ignore_class"], ignored != .null { throw KestrelError.invalidData("SparseCategoricalCrossentropy ignore_class is not supported") }
            return SparseCategoricalCrossentropy(fromLogits: fromLogits)
        case "CategoricalCrossentropy": return CategoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: smoothing)
        case "BinaryCrossentropy": return BinaryCrossentropy(fromLogits: fromLogits, labelSmoothing: smoothing)
        case "MeanSquaredError": return MeanSquaredError()
        case "MeanAbsoluteError": return MeanAbsoluteError()
        case "Huber": return Huber(delta: Float(config["delta"]?.doubleValue ?? 1))
        default: throw KestrelError.invalidData("loss \(className) is not supported (use one of \(Loss.validNames.joined(separator: ", ")))")
        }
    }

    private static func metric(from value: ConfigValue, loss: Loss) throws -> Metric {
        if let name = value.stringValue { return try Metric.named(name, loss: loss) }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("each metric must be a name or a {\"class_name\": …} object")
        }
        try KerasObjects.refuseCustom(value, className: className)
        let name = value["config"]?["name"]?.stringValue ?? LayerNaming.snakeCase(className)
        let metric = try Metric.named(LayerNaming.snakeCase(className), loss: loss)
        metric.name = name
        return metric
    }
}
