/// A compiled model's `compile_config` as Keras 3 writes it (optimizer, loss, metrics and Keras's
/// other compile arguments at their defaults), and `compile` from it when loading.
enum KerasCompileConfig {
    /// The compile config of `model`, nil when it was never compiled.
    static func serialize(_ model: Model) throws -> ConfigValue? {
        guard let optimizer = model.optimizer, let loss = model.loss else { return nil }
        func saveable(_ names: [String]) -> [String] { names.filter { Metric.validNames.contains($0.lowercased()) } }
        var lossValue: ConfigValue, lossWeights = ConfigValue.null, metricsValue: ConfigValue
        if let combined = loss as? MultiOutputLoss {
            // A loss, a weight and a metric list per output, in output order (Keras's list form).
            lossValue = .array(try combined.losses.map(serialize))
            lossWeights = .array(combined.weights.map(KerasObjects.number))
            let perOutput = combined.losses.indices.map { index in
                saveable(model.compiledMetrics.compactMap { ($0 as? OutputMetric).flatMap { $0.index == index ? $0.inner.name : nil } })
            }
            metricsValue = perOutput.allSatisfy(\.isEmpty) ? .null : .array(perOutput.map { .array($0.map(ConfigValue.string)) })
        } else {
            lossValue = try serialize(loss)
            let metrics = saveable(model.compiledMetrics.map { ($0 as? OutputMetric)?.inner.name ?? $0.name })
            metricsValue = metrics.isEmpty ? .null : .array(metrics.map(ConfigValue.string))
        }
        return .object([
            "optimizer": try KerasOptimizerConfig.serialize(optimizer), "loss": lossValue, "loss_weights": lossWeights,
            "metrics": metricsValue, "weighted_metrics": .null,
            "run_eagerly": .bool(false), "steps_per_execution": .int(1), "jit_compile": .bool(false),
        ])
    }

    /// The losses Kestrel reads and writes as Keras objects (each declares its config and reading in its own file).
    static let lossTypes: [(Loss & KerasSerializable).Type] = [
        SparseCategoricalCrossentropy.self, CategoricalCrossentropy.self, BinaryCrossentropy.self,
        MeanSquaredError.self, MeanAbsoluteError.self, Huber.self,
    ]

    /// A loss as Keras writes it: its name when every setting is the default, else its serialised object.
    private static func serialize(_ loss: Loss) throws -> ConfigValue {
        if loss.hasDefaultSettings, Loss.validNames.contains(loss.name) { return .string(loss.name) }
        guard let type = type(of: loss) as? KerasSerializable.Type else {
            throw KestrelError.invalidArgument("The loss '\(loss.name)' has no Keras 3 equivalent Kestrel can save; compile with one of \(Loss.validNames.joined(separator: ", ")).")
        }
        return KerasObjects.object(module: "keras.losses", className: type.kerasClassName, config: loss.config)
    }

    /// Compiles `model` from a `compile_config` object.
    static func compile(_ model: Model, from config: ConfigValue) throws {
        guard config.objectValue != nil else { throw KestrelError.invalidData("\"compile_config\" must be an object") }
        guard let optimizerValue = config["optimizer"], optimizerValue != .null else { return }
        let optimizer = try KerasOptimizerConfig.optimizer(from: optimizerValue)
        guard let lossValue = config["loss"], lossValue != .null else {
            throw KestrelError.invalidData("\"compile_config\" has an optimizer but no loss")
        }
        let outputs = model.graph.map { _ in model.outputNames } ?? []
        if outputs.count > 1 || lossValue.arrayValue != nil || lossValue.objectValue?["class_name"] == nil && lossValue.objectValue != nil {
            return try compilePerOutput(model, optimizer: optimizer, config: config, outputs: outputs)
        }
        if let weights = config["loss_weights"], weights != .null, weights.doubleValue != 1 {
            throw KestrelError.invalidData("loss_weights \(weights) needs a model with several outputs")
        }
        let loss = try self.loss(from: lossValue)
        var metrics: [Metric] = []
        for item in config["metrics"]?.arrayValue ?? [] {
            metrics.append(try metric(from: item, loss: loss))
        }
        try model.compile(optimizer: optimizer, loss: loss, metrics: metrics)
    }

    /// The per-output form: `loss` as a list (output order) or a dictionary (output names), or one loss
    /// for every output; `loss_weights` and `metrics` the same way.
    private static func compilePerOutput(_ model: Model, optimizer: Optimizer, config: ConfigValue, outputs: [String]) throws {
        guard !outputs.isEmpty else { throw KestrelError.invalidData("a loss per output needs a functional model") }
        func perOutput(_ key: String) throws -> [ConfigValue?] {
            guard let value = config[key], value != .null else { return Array(repeating: nil, count: outputs.count) }
            if let list = value.arrayValue, key != "metrics" || list.allSatisfy({ $0.arrayValue != nil || $0 == .null }) {
                guard list.count == outputs.count else {
                    throw KestrelError.invalidData("\"\(key)\" lists \(list.count) entries but the model has \(outputs.count) outputs (\(outputs.joined(separator: ", ")))")
                }
                return list
            }
            if let dictionary = value.objectValue, value["class_name"] == nil {
                for name in dictionary.keys.sorted() where !outputs.contains(name) {
                    throw KestrelError.invalidData("\"\(key)\" names '\(name)', which is not an output of the model (outputs: \(outputs.joined(separator: ", ")))")
                }
                return outputs.map { dictionary[$0] }
            }
            return Array(repeating: value, count: outputs.count)
        }
        let lossValues = try perOutput("loss"), weightValues = try perOutput("loss_weights"), metricValues = try perOutput("metrics")
        var losses: [Loss] = [], weights: [Float] = [], metrics: [[Metric]] = []
        for index in outputs.indices {
            guard let value = lossValues[index], value != .null else {
                throw KestrelError.invalidData("\"loss\" gives no loss for output '\(outputs[index])'")
            }
            let loss = try self.loss(from: value)
            losses.append(loss)
            if let weight = weightValues[index], weight != .null {
                guard let number = weight.doubleValue, number.isFinite, number >= 0 else {
                    throw KestrelError.invalidData("\"loss_weights\" for output '\(outputs[index])' must be a number ≥ 0, got \(weight)")
                }
                weights.append(Float(number))
            } else {
                weights.append(1)
            }
            let items = metricValues[index].flatMap { $0.arrayValue ?? ($0 == .null ? [] : [$0]) } ?? []
            metrics.append(try items.map { try metric(from: $0, loss: loss) })
        }
        if outputs.count == 1, weights[0] == 1 {
            return try model.compile(optimizer: optimizer, loss: losses[0], metrics: metrics[0])
        }
        try model.compile(optimizer: optimizer, loss: losses, lossWeights: weights, metrics: metrics)
    }

    private static func loss(from value: ConfigValue) throws -> Loss {
        if let name = value.stringValue { return try Loss.named(name) }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("\"loss\" must be a name or a {\"class_name\": …} object")
        }
        try KerasObjects.refuseCustom(value, className: className)
        let reader = KerasConfigReader(className: className, number: 0, config: value["config"]?.objectValue ?? [:], kind: "loss")
        guard let type = lossTypes.first(where: { $0.kerasClassName == className }) else {
            throw reader.fail("this loss is not supported (use one of \(Loss.validNames.joined(separator: ", ")))")
        }
        return try type.init(config: reader)
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
