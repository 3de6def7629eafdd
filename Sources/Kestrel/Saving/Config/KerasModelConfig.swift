import Synchronization

/// Whole-model configs in Keras 3's form (`model.to_json()`, a `.keras` file's `config.json`):
/// `Sequential` here, `Functional` (with `inbound_nodes`) in `KerasFunctionalConfig`; either may be
/// nested inside the other as a layer.
public enum KerasModelConfig {
    /// The largest model a config alone (without a weights file to compare with) may declare.
    public static let largestParameterCount = 1 << 30

    /// The serialised model: `{"module": "keras", "class_name": "Sequential", "config": …,
    /// "registered_name", "build_config", "compile_config"}`.
    /// A nested model (`nested`) gets no compile config, as Keras writes it.
    public static func serialize(_ model: Model, nested: Bool = false) throws -> ConfigValue {
        if let graph = model.graph { return try KerasFunctionalConfig.serialize(model, graph: graph, nested: nested) }
        guard let sequential = model as? Sequential else {
            throw KestrelError.invalidArgument("Model '\(model.name)' (\(model.className)): only Sequential and functional models (Model(inputs:outputs:)) can be saved in Keras's format.")
        }
        let inputShape = sequential.declaredInputShape ?? sequential.builtInputShape
        var layerObjects: [ConfigValue] = []
        if let inputShape {
            layerObjects.append(.object([
                "module": .string("keras.layers"), "class_name": .string("InputLayer"),
                "config": .object(KerasTextAssets.inputConfig(Input(shape: inputShape, name: "input_layer").config,
                                                              firstLayer: sequential.layers.first)), "registered_name": .null,
            ]))
        }
        var shape = inputShape
        for layer in try sequential.layersForSaving() {
            layerObjects.append(try KerasLayerRegistry.serialize(layer, inputShape: shape))
            shape = try shape.map { try layer.computeOutputShape($0) }
        }
        var config = KerasObjects.baseLayerConfig(sequential)
        config["layers"] = .array(layerObjects)
        var root: [String: ConfigValue] = [
            "module": .string("keras"), "class_name": .string("Sequential"), "registered_name": .null,
        ]
        if let inputShape {
            let batchShape = ConfigValue.array([.null] + inputShape.map(ConfigValue.int))
            config["build_input_shape"] = batchShape
            root["build_config"] = .object(["input_shape": batchShape])
        }
        root["config"] = .object(config)
        if !nested, let compile = try KerasCompileConfig.serialize(model) { root["compile_config"] = compile }
        return .object(root)
    }

    /// A built model from a serialised config (not compiled). `parameterBudget` bounds the number of
    /// weights the config may declare (the weights file's size when there is one), checked before
    /// any weight is made. Errors are `KestrelError.invalidData` naming the layer and class.
    public static func model(from root: ConfigValue, parameterBudget: Int = largestParameterCount) throws -> Model {
        try ParameterBudget(limit: parameterBudget).enforce { try model(from: root, depth: 0) }
    }

    /// Models nested deeper than this (a model inside a model inside …) are refused.
    static let deepestNesting = 32

    /// `model(from:)` inside the budget of the outermost model; `depth` counts the models around this one.
    static func model(from root: ConfigValue, depth: Int) throws -> Model {
        guard root.objectValue != nil else {
            throw KestrelError.invalidData("The Keras model file is not a JSON object; export it with model.to_json() or take config.json out of the .keras file.")
        }
        guard let className = root["class_name"]?.stringValue, let config = root["config"], config.objectValue != nil else {
            throw KestrelError.invalidData("The JSON is not a Keras model config (it needs \"class_name\" and a \"config\" object, as model.to_json() writes).")
        }
        if let module = root["module"]?.stringValue, !module.hasPrefix("keras") {
            throw KestrelError.invalidData("The model class \(className) comes from the Python module '\(module)'; custom Python models cannot be loaded (Keras's safe_mode refuses them too).")
        }
        guard depth <= deepestNesting else {
            throw KestrelError.invalidData("The model \(config["name"]?.stringValue ?? className) is nested more than \(deepestNesting) models deep; the config is damaged.")
        }
        switch className {
        case "Sequential": return try sequential(from: root, config: config, depth: depth)
        case "Functional", "Model":
            return try KerasFunctionalConfig.model(from: config, depth: depth)
        default:
            throw KestrelError.invalidData("The Keras model is a \(className) model; only Sequential and Functional models can be read (a subclassed Python model's code cannot be run).")
        }
    }

    /// Whether a serialised object is a whole model (read by `model(from:)`) rather than a layer.
    static func isModel(_ object: ConfigValue) -> Bool {
        guard let className = object["class_name"]?.stringValue else { return false }
        return ["Sequential", "Functional", "Model"].contains(className) && object["config"]?["layers"] != nil
    }

    private static func sequential(from root: ConfigValue, config: ConfigValue, depth: Int) throws -> Sequential {
        guard let layerObjects = config["layers"]?.arrayValue else {
            throw KestrelError.invalidData("The Keras Sequential config has no \"layers\" list.")
        }
        guard layerObjects.count <= 10_000 else { throw KestrelError.invalidData("The Keras Sequential config lists \(layerObjects.count) layers; at most 10000 are supported.") }
        var inputShape: [Int]?
        var layers: [Layer] = []
        for (index, object) in layerObjects.enumerated() {
            guard object.objectValue != nil else { throw KestrelError.invalidData("Keras layer \(index + 1) is not a {\"class_name\", \"config\"} object.") }
            if object["class_name"]?.stringValue == "InputLayer" {
                guard index == 0 else { throw KestrelError.invalidData("Keras layer \(index + 1) (InputLayer): an InputLayer can only come first.") }
                inputShape = try batchShape(object["config"]?["batch_shape"] ?? object["config"]?["batch_input_shape"],
                                            reader: KerasConfigReader(className: "InputLayer", number: 1, config: [:]), required: true)
                continue
            }
            layers.append(try KerasLayerRegistry.layer(from: object, number: index + 1, depth: depth))
        }
        if inputShape == nil {
            let declared = config["build_input_shape"] ?? root["build_config"]?["input_shape"]
            inputShape = try batchShape(declared, reader: KerasConfigReader(className: "Sequential", number: 0, config: [:]), required: false)
        }
        let name = config["name"]?.stringValue
        if depth > 0, inputShape == nil {
            throw KestrelError.invalidData("The nested Sequential model '\(name ?? "?")' declares no input shape (no InputLayer or build_input_shape), so its size cannot be checked; save it after building it.")
        }
        if let inputShape { try checkSizes(layers, inputShape: inputShape) }
        let model = try Sequential((inputShape.map { [Input(shape: $0)] } ?? []) + layers, name: name)
        if let inputShape { _ = try model.outputShape(forInput: inputShape) }
        // As Keras's from_config: the model's flag does not override its layers' own (a layer frozen
        // under a trainable model stays frozen); only a model saved frozen freezes everything.
        if config["trainable"]?.boolValue == false { model.trainable = false }
        return model
    }

    /// The sample shape from a batch shape `[null, 28, 28]`; nil when absent and not `required`.
    static func batchShape(_ value: ConfigValue?, reader: KerasConfigReader, required: Bool) throws -> [Int]? {
        guard let value, value != .null else {
            if required { throw reader.fail("\"batch_shape\" is missing") }
            return nil
        }
        guard let items = value.arrayValue, items.count >= 2, items.count <= 9 else {
            throw reader.fail("the input shape \(value) must be a batch shape such as [null, 28, 28]")
        }
        var dims: [Int] = []
        for item in items.dropFirst() {
            guard let size = try KerasConfigReader.wholeNumber(item), size >= 1, size <= KerasConfigReader.largestSize else {
                throw reader.fail("the input shape \(value) has unknown or invalid sizes; Kestrel needs them all")
            }
            dims.append(size)
        }
        return dims
    }

    /// Walks the layers' output shapes without making any weight, refusing absurd activation sizes
    /// (the weights are counted as `build` makes them).
    static func checkSizes(_ layers: [Layer], inputShape: [Int]) throws {
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            try ParameterBudget.checkInputShape(shape, of: layer, number: index + 1)
            shape = try layer.computeOutputShape(shape)
        }
    }

    static func product(_ shape: [Int]) -> Int? {
        var result = 1
        for size in shape {
            let (next, overflow) = result.multipliedReportingOverflow(by: size)
            guard !overflow, next <= 1 << 40, size >= 0 else { return nil }
            result = next
        }
        return result
    }
}

/// The number of weights a config may still declare (the weights file's size bounds it), shared by a
/// model and the models nested in it. While `enforce` runs, `Layer.addWeight` reserves each weight here
/// before allocating it, so the count is the layers' own `build`, not a second formula.
final class ParameterBudget: Sendable {
    /// The budget of the model being read, if any.
    @TaskLocal static var current: ParameterBudget?

    let limit: Int
    private let used = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// Runs `body` (which reads and builds a model) with every weight made counted against this budget.
    func enforce<Value>(_ body: () throws -> Value) throws -> Value {
        try ParameterBudget.$current.withValue(self) { try body() }
    }

    /// Counts a weight of `shape` that `layer` is about to make; throws naming the layer when the budget is spent.
    func reserve(_ shape: [Int], weight: String, of layer: Layer) throws {
        try used.withLock { used in
            guard let count = KerasModelConfig.product(shape), case let (sum, overflow) = used.addingReportingOverflow(count), !overflow, sum <= limit else {
                throw KestrelError.invalidData(
                    "Keras layer '\(layer.name)' (\(layer.className)), weight '\(weight)' of shape \(shape): the model declares more weights than \(limit == KerasModelConfig.largestParameterCount ? "Kestrel allows (\(KerasModelConfig.largestParameterCount))" : "its weights file holds"); the config or the file is damaged.")
            }
            used = sum
        }
    }

    /// Refuses an input shape too large for any model, before `layer` is built on it.
    static func checkInputShape(_ shape: [Int], of layer: Layer, number: Int) throws {
        guard KerasModelConfig.product(shape) != nil else {
            throw KestrelError.invalidData("Keras layer \(number) (\(layer.className)): its input shape \(shape) is larger than any model can hold.")
        }
    }
}
