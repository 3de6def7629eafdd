/// Keras 3's `Functional` model config, both ways (`keras/src/models/functional.py`):
///
/// ```
/// {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
///  "config": {"name": …, "trainable": …,
///             "layers": [{…layer object…, "name": "dense", "inbound_nodes": [
///                 {"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 8], "dtype": "float32",
///                                                                       "keras_history": ["input_layer", 0, 0]}}],
///                  "kwargs": {}}]}, …],
///             "input_layers": ["input_layer", 0, 0], "output_layers": [["kind", 0, 0], ["score", 0, 0]]},
///  "build_config": {"input_shape": null}, "compile_config": …}
/// ```
/// A node's `keras_history` counts only the calls that belong to this model; `input_layers` and
/// `output_layers` count a nested `Functional` model's built-in node too (so its first call is 1).
/// Merge layers take their tensors as one list argument; `training` is kept in `kwargs`.
enum KerasFunctionalConfig {
    // MARK: Writing

    /// The serialised functional `model` (its graph `graph`); a `nested` model gets no compile config.
    static func serialize(_ model: Model, graph: FunctionalGraph, nested: Bool) throws -> ConfigValue {
        let members = Set(graph.nodes.map(ObjectIdentifier.init))
        func ownNodes(of layer: Layer) -> [Node] { layer.inboundNodes.nodes.filter { members.contains(ObjectIdentifier($0)) } }
        func ownIndex(_ node: Node) -> Int { ownNodes(of: node.layer).firstIndex { $0 === node } ?? 0 }
        func shape(_ dims: [Int]) -> ConfigValue { .array([.null] + dims.map(ConfigValue.int)) }
        func tensor(_ value: SymbolicTensor) -> ConfigValue {
            .object(["class_name": .string("__keras_tensor__"), "config": .object([
                "shape": shape(value.shape), "dtype": .string("float32"),
                "keras_history": .array([.string(value.layer.name), .int(ownIndex(value.node)), .int(value.index)]),
            ])])
        }
        func reference(_ value: SymbolicTensor) -> ConfigValue {
            let builtInNode = (value.layer as? Model)?.graph != nil ? 1 : 0
            return .array([.string(value.layer.name), .int(ownIndex(value.node) + builtInNode), .int(value.index)])
        }
        var layerObjects: [ConfigValue] = []
        for layer in graph.layers {
            let nodes = ownNodes(of: layer)
            var object: [String: ConfigValue]
            if let input = layer as? Input {
                object = ["module": .string("keras.layers"), "class_name": .string("InputLayer"), "config": .object(input.config),
                          "registered_name": .null]
            } else {
                let shapes = nodes.first?.inputs.map(\.shape) ?? []
                guard var serialized = try KerasLayerRegistry.serialize(layer, inputShape: shapes.count == 1 ? shapes[0] : nil).objectValue else {
                    throw KestrelError.invalidState("Layer '\(layer.name)' did not serialise to an object.")
                }
                if layer is Model {
                    if layer is Sequential, shapes.count == 1 { serialized["build_config"] = .object(["input_shape": shape(shapes[0])]) }
                } else if !shapes.isEmpty {
                    serialized["build_config"] = .object(["input_shape": shapes.count == 1 ? shape(shapes[0]) : .array(shapes.map(shape))])
                }
                object = serialized
            }
            object["name"] = .string(layer.name)
            object["inbound_nodes"] = .array(nodes.filter { !$0.isInput }.map { node in
                let arguments: [ConfigValue] = node.inputs.count == 1 ? [tensor(node.inputs[0])] : [.array(node.inputs.map(tensor))]
                var keywords: [String: ConfigValue] = [:]
                if let training = node.training { keywords["training"] = .bool(training) }
                return .object(["args": .array(arguments), "kwargs": .object(keywords)])
            })
            layerObjects.append(.object(object))
        }
        func references(_ tensors: [SymbolicTensor]) -> ConfigValue {
            tensors.count == 1 ? reference(tensors[0]) : .array(tensors.map(reference))
        }
        let config: [String: ConfigValue] = [
            "name": .string(model.name), "trainable": .bool(model.trainable), "layers": .array(layerObjects),
            "input_layers": references(graph.inputs), "output_layers": references(graph.outputs),
        ]
        var root: [String: ConfigValue] = [
            "module": .string("keras.src.models.functional"), "class_name": .string("Functional"),
            "registered_name": .string("Functional"), "config": .object(config), "build_config": .object(["input_shape": .null]),
        ]
        if !nested, let compile = try KerasCompileConfig.serialize(model) { root["compile_config"] = compile }
        return .object(root)
    }

    // MARK: Reading

    /// The most layers one functional config may list.
    static let mostLayers = 10_000

    /// A functional model from the `config` object of a `Functional` entry: each layer is made, then
    /// its calls are replayed in the order the file lists them, each as soon as the tensors it reads
    /// exist (as Keras does, so a layer shared at different depths works). Errors name the model and
    /// the layer: a call reading an unknown layer, a call that can never run (a cycle, or a node that
    /// does not exist), outputs that need an input missing from `input_layers`.
    static func model(from config: ConfigValue, depth: Int) throws -> Model {
        let modelName = config["name"]?.stringValue ?? "functional"
        func fail(_ problem: String) -> KestrelError { .invalidData("The Keras functional model '\(modelName)': \(problem).") }
        guard let layerObjects = config["layers"]?.arrayValue else { throw fail("\"layers\" is missing or not a list") }
        guard layerObjects.count <= mostLayers else { throw fail("it lists \(layerObjects.count) layers; at most \(mostLayers) are supported") }
        var layers: [String: Layer] = [:]
        var order: [String] = []
        var pending: [String: [ConfigValue]] = [:]
        var produced: [String: [[SymbolicTensor]]] = [:]
        var numbers: [String: Int] = [:]
        for (index, object) in layerObjects.enumerated() {
            let number = index + 1
            guard object.objectValue != nil else { throw fail("layer \(number) is not a {\"class_name\", \"config\"} object") }
            let className = object["class_name"]?.stringValue ?? "?"
            guard let name = object["name"]?.stringValue ?? object["config"]?["name"]?.stringValue else {
                throw fail("layer \(number) (\(className)) has no \"name\"")
            }
            guard layers[name] == nil else { throw fail("two layers are named '\(name)'; layer names in a model must be unique") }
            let layer: Layer
            if className == "InputLayer" {
                let reader = KerasConfigReader(className: "InputLayer", number: number, config: object["config"]?.objectValue ?? [:])
                guard let shape = try KerasModelConfig.batchShape(reader.config["batch_shape"] ?? reader.config["batch_input_shape"],
                                                                  reader: reader, required: true) else { throw reader.fail("\"batch_shape\" is missing") }
                guard KerasModelConfig.product(shape) != nil else { throw reader.fail("the input shape \(shape) is larger than any model can hold") }
                let input = Input(shape: shape, name: name)
                try input.validateArguments()
                layer = input
                produced[name] = [[input.symbolicTensor]]
            } else {
                layer = try KerasLayerRegistry.layer(from: object, number: number, depth: depth)
                produced[name] = []
            }
            guard let nodes = (object["inbound_nodes"] ?? .array([])).arrayValue else {
                throw fail("layer '\(name)' (\(className)): \"inbound_nodes\" must be a list")
            }
            if layer is Input, !nodes.isEmpty { throw fail("the InputLayer '\(name)' lists inbound nodes; an input is called on nothing") }
            layers[name] = layer
            order.append(name)
            pending[name] = nodes
            numbers[name] = number
        }
        var called = Set<String>()
        while pending.values.contains(where: { !$0.isEmpty }) {
            var progress = false
            for name in order {
                guard let layer = layers[name] else { continue }
                while let node = pending[name]?.first {
                    guard let call = try arguments(of: node, layer: name, layers: layers, produced: produced, pending: pending, fail: fail) else { break }
                    if !called.contains(name) {
                        try ParameterBudget.checkInputShape(call.inputs.first?.shape ?? [], of: layer, number: numbers[name] ?? 0)
                        called.insert(name)
                    }
                    // Keras records each layer's default `training` in its nodes (False for Dropout, True for
                    // the random augmentation layers) and overrides it with fit's / predict's own flag, so
                    // only a nested model's flag — what `base(x, training=False)` wrote — is kept.
                    let training = layer is Model ? call.training : nil
                    let outputs: [SymbolicTensor]
                    do {
                        outputs = try layer.callSymbolic(call.inputs, training: training)
                    } catch let error as KestrelError {
                        throw fail("calling layer '\(name)' (\(layer.className)): \(error.message)")
                    }
                    produced[name, default: []].append(outputs)
                    pending[name]?.removeFirst()
                    progress = true
                }
            }
            if !progress {
                let stuck = order.filter { !(pending[$0]?.isEmpty ?? true) }
                let waits = stuck.prefix(5).map { name -> String in
                    let wanted = (try? pending[name]?.first.map { try histories(in: $0, layer: name, fail: fail) }) ?? nil
                    let missing = (wanted ?? []).filter { (produced[$0.layer]?.count ?? 0) <= $0.node }
                    return "'\(name)' (\(layers[name]?.className ?? "?")) waits for " + missing.map { "call \($0.node) of '\($0.layer)'" }.joined(separator: ", ")
                }
                throw fail("the calls of layer \(waits.joined(separator: "; ")), which never happen: the graph has a cycle or reads a call that does not exist")
            }
        }
        func tensors(_ key: String) throws -> [SymbolicTensor] {
            guard let value = config[key], value != .null else { throw fail("\"\(key)\" is missing") }
            let items: [ConfigValue]
            if let array = value.arrayValue, array.count == 3, array[0].stringValue != nil { items = [value] } else if let array = value.arrayValue {
                items = array
            } else if let dictionary = value.objectValue {
                items = dictionary.keys.sorted().map { dictionary[$0]! }
            } else {
                throw fail("\"\(key)\" must be a [layer, node, tensor] reference or a list of them")
            }
            guard !items.isEmpty else { throw fail("\"\(key)\" is empty") }
            return try items.map { item in
                guard let parts = item.arrayValue, parts.count == 3, let layerName = parts[0].stringValue,
                      let node = try KerasConfigReader.wholeNumber(parts[1]), let index = try KerasConfigReader.wholeNumber(parts[2]) else {
                    throw fail("\"\(key)\" holds \(item), which is not a [layer, node, tensor] reference")
                }
                guard let layer = layers[layerName] else { throw fail("\"\(key)\" names the layer '\(layerName)', which the model does not have") }
                let call = node - ((layer as? Model)?.graph != nil ? 1 : 0)
                guard let calls = produced[layerName], calls.indices.contains(call), calls[call].indices.contains(index) else {
                    throw fail("\"\(key)\" refers to output \(index) of call \(node) of layer '\(layerName)', which does not exist")
                }
                return calls[call][index]
            }
        }
        let inputs = try tensors("input_layers"), outputs = try tensors("output_layers")
        for input in inputs where !(input.layer is Input) {
            throw fail("\"input_layers\" names '\(input.layer.name)' (\(input.layer.className)), which is not an InputLayer")
        }
        let model: Model
        do {
            model = try Model(inputs: inputs, outputs: outputs, name: modelName, layerOrder: order)
        } catch let error as KestrelError {
            throw KestrelError.invalidData(error.message)
        }
        if config["trainable"]?.boolValue == false { model.trainable = false }
        return model
    }

    /// One call of a layer read from the file: its input tensors and `training` keyword.
    private struct Call {
        let inputs: [SymbolicTensor]
        let training: Bool?
    }

    /// The `[layer, node, tensor]` references of a node entry (Keras 3's `args` / `kwargs` form or the
    /// older list-of-lists form).
    private static func histories(in node: ConfigValue, layer name: String, fail: (String) -> KestrelError)
        throws -> [(layer: String, node: Int, tensor: Int)] {
        func parse(_ history: ConfigValue) throws -> (layer: String, node: Int, tensor: Int) {
            guard let parts = history.arrayValue, parts.count >= 3, let layer = parts[0].stringValue,
                  let node = try KerasConfigReader.wholeNumber(parts[1]), let tensor = try KerasConfigReader.wholeNumber(parts[2]),
                  node >= 0, tensor >= 0, node < 1 << 20, tensor < 1 << 20 else {
                throw fail("a call of layer '\(name)' has the tensor reference \(history), not [layer, node, tensor]")
            }
            return (layer, node, tensor)
        }
        if let legacy = node.arrayValue { return try legacy.map(parse) }
        guard let arguments = node["args"]?.arrayValue, let first = arguments.first else {
            throw fail("a call of layer '\(name)' has no \"args\" (each entry of inbound_nodes needs {\"args\": […], \"kwargs\": {…}})")
        }
        guard arguments.count == 1 else {
            throw fail("a call of layer '\(name)' passes \(arguments.count) positional arguments; Kestrel layers take one tensor or one list of tensors")
        }
        let items = first["class_name"] != nil ? [first] : (first.arrayValue ?? [])
        guard !items.isEmpty else { throw fail("a call of layer '\(name)' passes no tensors") }
        return try items.map { item in
            guard item["class_name"]?.stringValue == "__keras_tensor__", let history = item["config"]?["keras_history"] else {
                throw fail("a call of layer '\(name)' passes \(item["class_name"]?.stringValue ?? "a value") where a Keras tensor is expected")
            }
            return try parse(history)
        }
    }

    /// The call a node entry describes, or nil while a tensor it reads is not made yet.
    private static func arguments(of node: ConfigValue, layer name: String, layers: [String: Layer], produced: [String: [[SymbolicTensor]]],
                                  pending: [String: [ConfigValue]], fail: (String) -> KestrelError) throws -> Call? {
        var inputs: [SymbolicTensor] = []
        for history in try histories(in: node, layer: name, fail: fail) {
            guard layers[history.layer] != nil else {
                throw fail("a call of layer '\(name)' reads the layer '\(history.layer)', which the model does not have")
            }
            let made = produced[history.layer] ?? []
            let total = made.count + (pending[history.layer]?.count ?? 0)
            guard history.node < total else {
                throw fail("a call of layer '\(name)' reads call \(history.node) of layer '\(history.layer)', which is called only \(total) times")
            }
            guard history.node < made.count else { return nil }
            guard made[history.node].indices.contains(history.tensor) else {
                throw fail("a call of layer '\(name)' reads output \(history.tensor) of layer '\(history.layer)', which has \(made[history.node].count)")
            }
            inputs.append(made[history.node][history.tensor])
        }
        var training: Bool?
        if let keywords = node["kwargs"]?.objectValue {
            for (key, value) in keywords where value != .null && !["training", "mask"].contains(key) {
                throw fail("a call of layer '\(name)' passes the argument \"\(key)\", which Kestrel does not support")
            }
            if let value = keywords["training"], value != .null {
                guard let flag = value.boolValue else { throw fail("a call of layer '\(name)' has \"training\" = \(value), not true, false or null") }
                training = flag
            }
        } else if let legacy = node.arrayValue, let extra = legacy.first?.arrayValue, extra.count == 4, let flag = extra[3]["training"]?.boolValue {
            training = flag
        }
        return Call(inputs: inputs, training: training)
    }
}
