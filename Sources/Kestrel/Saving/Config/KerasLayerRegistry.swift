/// The one table between Keras layer class names and Kestrel layers. Saving writes `layer.config`
/// under the entry's class name; loading (`loadModel`, `modelFromJSON`, the `kestrel fit --model
/// config.json` reader) turns a Keras `{"class_name", "config"}` object back into a layer here.
public enum KerasLayerRegistry {
    /// One Keras layer class that Kestrel implements.
    struct Entry: Sendable {
        /// Keras's `class_name`.
        let className: String
        /// Builds the layer from its config (arguments checked by the reader).
        let make: @Sendable (KerasConfigReader) throws -> Layer
        /// How many weights the layer makes for inputs of this shape (no batch dimension), to refuse
        /// absurd configs before allocating anything.
        let parameterCount: @Sendable (Layer, [Int]) -> Int
    }

    private static let noWeights: @Sendable (Layer, [Int]) -> Int = { _, _ in 0 }

    static let entries: [Entry] = [
        Entry(className: "Dense", make: dense, parameterCount: { layer, shape in
            guard let dense = layer as? Dense else { return 0 }
            return (shape.last ?? 0) &* dense.units &+ (dense.useBias ? dense.units : 0)
        }),
        Entry(className: "Conv2D", make: conv2D, parameterCount: { layer, shape in
            guard let conv = layer as? Conv2D, shape.count == 3 else { return 0 }
            return conv.kernelSize.height &* conv.kernelSize.width &* shape[2] &* conv.filters &+ (conv.useBias ? conv.filters : 0)
        }),
        Entry(className: "BatchNormalization", make: batchNormalization, parameterCount: { layer, shape in
            guard let norm = layer as? BatchNormalization else { return 0 }
            return (shape.last ?? 0) &* (2 + (norm.center ? 1 : 0) + (norm.scale ? 1 : 0))
        }),
        Entry(className: "Dropout", make: dropout, parameterCount: noWeights),
        Entry(className: "Flatten", make: { reader in
            try reader.requireChannelsLast()
            return Flatten(name: try name(reader, "flatten"))
        }, parameterCount: noWeights),
        Entry(className: "Reshape", make: reshape, parameterCount: noWeights),
        Entry(className: "Rescaling", make: { reader in
            guard reader.config["scale"]?.doubleValue != nil || !reader.has("scale") else {
                throw reader.fail("\"scale\" must be one number (per-channel scales are not supported)")
            }
            return Rescaling(scale: try reader.float("scale"), offset: try reader.float("offset", default: 0), name: try name(reader, "rescaling"))
        }, parameterCount: noWeights),
        Entry(className: "MaxPooling2D", make: { try pooling($0, max: true) }, parameterCount: noWeights),
        Entry(className: "AveragePooling2D", make: { try pooling($0, max: false) }, parameterCount: noWeights),
        Entry(className: "GlobalAveragePooling2D", make: { reader in
            try reader.requireChannelsLast()
            return GlobalAveragePooling2D(keepDims: try reader.bool("keepdims", default: false), name: try name(reader, "global_average_pooling2d"))
        }, parameterCount: noWeights),
        Entry(className: "Activation", make: { reader in
            Activation(try reader.activation(), name: try name(reader, "activation"))
        }, parameterCount: noWeights),
        Entry(className: "ReLU", make: { reader in
            let maximum: Float? = reader.has("max_value") ? try reader.float("max_value") : nil
            return ReLU(maxValue: maximum, negativeSlope: try reader.float("negative_slope", default: 0),
                        threshold: try reader.float("threshold", default: 0), name: try name(reader, "re_lu"))
        }, parameterCount: noWeights),
        Entry(className: "Softmax", make: { reader in
            guard let axis = try? KerasConfigReader.wholeNumber(reader.config["axis"] ?? .int(-1)), (-8...8).contains(axis) else {
                throw reader.fail("\"axis\" must be one axis number")
            }
            return Softmax(axis: axis, name: try name(reader, "softmax"))
        }, parameterCount: noWeights),
    ] + functionalLayerEntries + preprocessingEntries + separableLayerEntries + textLayerEntries

    /// Keras's class names Kestrel can read and write.
    public static var classNames: [String] { entries.map(\.className) }

    static func entry(for className: String) -> Entry? { entries.first { $0.className == className } }

    /// Keras's `keras.layers.deserialize`: the layer for a serialised `{"class_name", "config"}` object.
    /// `number` (1-based position) appears in errors. Refuses `Lambda` and any custom Python class.
    public static func layer(from object: ConfigValue, number: Int) throws -> Layer {
        try layer(from: object, number: number, budget: ParameterBudget(limit: KerasModelConfig.largestParameterCount), depth: 0)
    }

    /// `layer(from:number:)` inside a model being read: a nested `Sequential` / `Functional` model is
    /// read as a whole model, its weights counted against `budget`.
    static func layer(from object: ConfigValue, number: Int, budget: ParameterBudget, depth: Int) throws -> Layer {
        if KerasModelConfig.isModel(object) {
            try KerasObjects.refuseCustom(object, className: object["class_name"]?.stringValue ?? "?")
            return try KerasModelConfig.model(from: object, budget: budget, depth: depth + 1)
        }
        let className = object["class_name"]?.stringValue ?? "?"
        let reader = KerasConfigReader(className: className, number: number, config: object["config"]?.objectValue ?? [:])
        guard object["config"]?.objectValue != nil || object["config"] == nil else { throw reader.fail("\"config\" must be an object") }
        if className == "Lambda" || className == "TFOpLambda" {
            throw reader.fail("a Lambda layer holds Python code, which Kestrel never runs (Keras's safe_mode refuses it too); rebuild the model without Lambda layers")
        }
        if let module = object["module"]?.stringValue, !module.hasPrefix("keras") {
            throw reader.fail("the class comes from the Python module '\(module)'; custom Python layers cannot be loaded (Keras's safe_mode refuses them too)")
        }
        if let registered = object["registered_name"]?.stringValue, registered != className {
            throw reader.fail("'\(registered)' is a custom Python layer; Kestrel cannot run Python code (Keras's safe_mode refuses it too)")
        }
        guard let entry = entry(for: className) else {
            throw reader.fail("this layer class is not supported; supported: InputLayer, \(classNames.joined(separator: ", "))")
        }
        try KerasObjects.requireFloat32(reader.config["dtype"], reader: reader)
        let layer = try entry.make(reader)
        layer.trainable = try reader.bool("trainable", default: true)
        return layer
    }

    /// The serialised object Keras writes for `layer` (module, class name, config, build config).
    /// Throws for Kestrel-only layers Keras cannot read.
    public static func serialize(_ layer: Layer, inputShape: [Int]?) throws -> ConfigValue {
        if let model = layer as? Model { return try KerasModelConfig.serialize(model, nested: true) }
        guard entry(for: layer.className) != nil else {
            throw KestrelError.invalidArgument(
                "Layer '\(layer.name)' (\(layer.className)) has no Keras 3 equivalent Kestrel can save; remove it before saving (Keras can save: \(classNames.joined(separator: ", "))).")
        }
        var members: [String: ConfigValue] = [
            "module": .string("keras.layers"), "class_name": .string(layer.className), "config": .object(layer.config),
            "registered_name": .null,
        ]
        if let inputShape, !layer.weights.isEmpty || layer is Flatten || layer is Reshape {
            members["build_config"] = .object(["input_shape": .array([.null] + inputShape.map(ConfigValue.int))])
        }
        return .object(members)
    }

    /// The weights `layer` will make for inputs of `inputShape`, or nil when the count overflows.
    static func parameterCount(of layer: Layer, inputShape: [Int]) -> Int? {
        let count = entry(for: layer.className)?.parameterCount(layer, inputShape) ?? 0
        return count >= 0 ? count : nil
    }

    // MARK: Layer readers

    private static func name(_ reader: KerasConfigReader, _ base: String) throws -> String {
        try reader.string("name", default: LayerNaming.uniqueName(for: base))
    }

    private static func kernelArguments(_ reader: KerasConfigReader) throws {
        try reader.requireAbsent(["kernel_constraint", "bias_constraint", "quantization_config", "lora_rank"])
    }

    private static func dense(_ reader: KerasConfigReader) throws -> Layer {
        try kernelArguments(reader)
        return Dense(try reader.int("units"), activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                     kernelInitializer: try reader.initializer("kernel_initializer", default: .glorotUniform),
                     biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                     kernelRegularizer: try reader.regularizer("kernel_regularizer"),
                     biasRegularizer: try reader.regularizer("bias_regularizer"),
                     activityRegularizer: try reader.regularizer("activity_regularizer"), name: try name(reader, "dense"))
    }

    private static func conv2D(_ reader: KerasConfigReader) throws -> Layer {
        try kernelArguments(reader)
        try reader.requireChannelsLast()
        if let dilation = try reader.ints("dilation_rate"), dilation.contains(where: { $0 != 1 }) {
            throw reader.fail("dilation_rate \(dilation) is not supported (only 1)")
        }
        try reader.require("groups", equals: .int(1))
        guard let kernel = try reader.window("kernel_size") else { throw reader.fail("\"kernel_size\" is missing") }
        return Conv2D(try reader.int("filters"), kernelSize: kernel, strides: try reader.window("strides") ?? 1,
                      padding: PaddingArgument(try reader.padding()), activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                      kernelInitializer: try reader.initializer("kernel_initializer", default: .glorotUniform),
                      biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                      kernelRegularizer: try reader.regularizer("kernel_regularizer"),
                      biasRegularizer: try reader.regularizer("bias_regularizer"),
                      activityRegularizer: try reader.regularizer("activity_regularizer"), name: try name(reader, "conv2d"))
    }

    private static func batchNormalization(_ reader: KerasConfigReader) throws -> Layer {
        if reader.has("axis") {
            let axis = reader.config["axis"]!
            guard axis == .int(-1) || axis == .ints([-1]) else {
                throw reader.fail("\"axis\" = \(axis) is not supported; Kestrel normalises the last axis (-1)")
            }
        }
        try reader.requireAbsent(["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "renorm_clipping"])
        try reader.require("renorm", equals: .bool(false))
        let momentum = try reader.float("momentum", default: 0.99), epsilon = try reader.float("epsilon", default: 0.001)
        guard epsilon > 0 else { throw reader.fail("\"epsilon\" must be positive, got \(epsilon)") }
        return BatchNormalization(momentum: momentum, epsilon: epsilon, center: try reader.bool("center", default: true),
                                  scale: try reader.bool("scale", default: true), name: try name(reader, "batch_normalization"))
    }

    private static func dropout(_ reader: KerasConfigReader) throws -> Layer {
        try reader.requireAbsent(["noise_shape"])
        let rate = try reader.float("rate")
        guard rate >= 0, rate < 1 else { throw reader.fail("\"rate\" must be in [0, 1), got \(rate)") }
        let seed: UInt64? = reader.has("seed") ? UInt64(try reader.int("seed", minimum: 0)) : nil
        return Dropout(rate, seed: seed, name: try name(reader, "dropout"))
    }

    private static func reshape(_ reader: KerasConfigReader) throws -> Layer {
        guard let shape = try reader.ints("target_shape", allowUnknown: true) else { throw reader.fail("\"target_shape\" is missing") }
        var product = 1
        for size in shape where size > 0 {
            let (next, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow, next <= 1 << 40 else { throw reader.fail("\"target_shape\" \(shape) holds more values than any model can") }
            product = next
        }
        return Reshape(shape, name: try name(reader, "reshape"))
    }

    private static func pooling(_ reader: KerasConfigReader, max: Bool) throws -> Layer {
        try reader.requireChannelsLast()
        let poolSize = try reader.window("pool_size") ?? 2, strides = try reader.window("strides"), padding = try reader.padding()
        return max ? MaxPooling2D(poolSize: poolSize, strides: strides, padding: PaddingArgument(padding), name: try name(reader, "max_pooling2d"))
            : AveragePooling2D(poolSize: poolSize, strides: strides, padding: PaddingArgument(padding), name: try name(reader, "average_pooling2d"))
    }
}
