extension Model {
    /// Makes a functional model from the graph of layer calls between `inputs` and `outputs`
    /// (Keras's `keras.Model(inputs=…, outputs=…)`). Layers called twice share their weights, a model
    /// called on a tensor is a nested model, and every layer was built while the graph was drawn.
    ///
    /// Throws when an input is given twice, when an output needs an `Input` that is not among `inputs`
    /// (a disconnected graph), when an input feeds no output, or when two layers share a name.
    public convenience init(inputs: [any SymbolicTensorConvertible], outputs: [SymbolicTensor], name: String? = nil) throws {
        try self.init(inputs: inputs, outputs: outputs, name: name, layerOrder: nil)
    }

    /// The functional model of a saved config: `layerOrder` keeps the file's layer order.
    convenience init(inputs: [any SymbolicTensorConvertible], outputs: [SymbolicTensor], name: String?, layerOrder: [String]?) throws {
        let modelName = name ?? LayerNaming.uniqueName(for: "functional")
        let graph = try FunctionalGraph(inputs: inputs.map(\.symbolicTensor), outputs: outputs, modelName: modelName, layerOrder: layerOrder)
        self.init(name: modelName)
        self.graph = graph
        builtInputShape = graph.inputs[0].shape
    }

    /// A functional model with one input and one output.
    public convenience init(inputs: some SymbolicTensorConvertible, outputs: SymbolicTensor, name: String? = nil) throws {
        try self.init(inputs: [inputs], outputs: [outputs], name: name)
    }

    /// A functional model with one input and one output, Keras's positional `keras.Model(inputs, outputs)`.
    public convenience init(_ inputs: some SymbolicTensorConvertible, _ outputs: SymbolicTensor, name: String? = nil) throws {
        try self.init(inputs: [inputs], outputs: [outputs], name: name)
    }

    /// A functional model with one input and several outputs.
    public convenience init(inputs: some SymbolicTensorConvertible, outputs: [SymbolicTensor], name: String? = nil) throws {
        try self.init(inputs: [inputs], outputs: outputs, name: name)
    }

    /// A functional model with several inputs and one output.
    public convenience init(inputs: [any SymbolicTensorConvertible], outputs: SymbolicTensor, name: String? = nil) throws {
        try self.init(inputs: inputs, outputs: [outputs], name: name)
    }

    /// Whether the model is a functional graph (made with `Model(inputs:outputs:)`).
    public var isFunctional: Bool { graph != nil }

    /// The model's input tensors (Keras's `model.inputs`); empty for a `Sequential`.
    public var inputs: [SymbolicTensor] { graph?.inputs ?? [] }
    /// The model's output tensors (Keras's `model.outputs`); empty for a `Sequential`.
    public var outputs: [SymbolicTensor] { graph?.outputs ?? [] }
    /// The input names, in order (the keys `fit`/`predict` accept in dictionaries).
    public var inputNames: [String] { inputs.map(\.name) }
    /// The output names, in order (the producing layers' names, as Keras).
    public var outputNames: [String] { outputs.map(\.name) }

    /// The layer called `name` (Keras's `get_layer(name=…)`); throws listing the names when none is.
    public func getLayer(name: String) throws -> Layer {
        if let layer = layers.first(where: { $0.name == name }) { return layer }
        throw KestrelError.invalidArgument(
            "Model '\(self.name)' has no layer named '\(name)'; its layers are: \(layers.map(\.name).joined(separator: ", ")).")
    }

    /// The layer at `index` in `layers` (Keras's `get_layer(index=…)`).
    public func getLayer(index: Int) throws -> Layer {
        guard layers.indices.contains(index) else {
            throw KestrelError.invalidArgument("Model '\(name)' has \(layers.count) layers; index \(index) is out of range.")
        }
        return layers[index]
    }

    /// Runs a functional model on one batch per input and returns one batch per output.
    public func callAsFunction(_ inputs: [Tensor], training: Bool = false) throws -> [Tensor] {
        guard let graph else {
            guard inputs.count == 1 else {
                throw KestrelError.invalidArgument("Model '\(name)' takes one input but was given \(inputs.count).")
            }
            return [try self(inputs[0], training: training)]
        }
        return try graph.run(inputs, training: training, modelName: name)
    }

    /// Runs a functional model on batches keyed by input name and returns batches keyed by output name.
    public func callAsFunction(_ inputs: [String: Tensor], training: Bool = false) throws -> [String: Tensor] {
        let values = try orderedInputs(inputs, context: "call")
        let results = try self(values, training: training)
        return Dictionary(uniqueKeysWithValues: zip(outputNames, results))
    }

    /// The inputs of a dictionary in the model's input order; throws for unknown or missing names.
    func orderedInputs(_ dictionary: [String: Tensor], context: String) throws -> [Tensor] {
        let names = graph == nil ? [] : inputNames, list = names.joined(separator: ", ")
        return try Model.ordered(dictionary, by: names,
                                 unknown: { "\(context): '\($0)' names no input of model '\(name)'; its inputs are: \(list)." },
                                 missing: { "\(context): input '\($0)' of model '\(name)' is missing; give a value for each of: \(list)." })
    }

    /// The values of `dictionary` in the order of `names`; `unknown` words the error for a key that is none
    /// of the names (the first in sorted order), `missing` the one for a name without a value.
    static func ordered<Value>(_ dictionary: [String: Value], by names: [String], unknown: (String) -> String,
                               missing: (String) -> String) throws -> [Value] {
        for key in dictionary.keys.sorted() where !names.contains(key) { throw KestrelError.invalidArgument(unknown(key)) }
        return try names.map { entry in
            guard let value = dictionary[entry] else { throw KestrelError.invalidArgument(missing(entry)) }
            return value
        }
    }

    func checkFunctionalInput(_ graph: FunctionalGraph, sampleShape: [Int]) throws {
        guard graph.inputs.count == 1 else {
            throw KestrelError.invalidArgument(
                "Model '\(name)' has \(graph.inputs.count) inputs (\(inputNames.joined(separator: ", "))); pass one array per input, as a list or a dictionary keyed by input name.")
        }
        guard graph.inputs[0].shape == sampleShape else {
            throw KestrelError.shapeMismatch(
                "Model '\(name)': input '\(graph.inputs[0].name)' expects samples of shape \(LayerNaming.format(graph.inputs[0].shape)) but got \(LayerNaming.format(sampleShape)); reshape the data or change Input(shape:).")
        }
    }

    func singleFunctionalOutput(_ graph: FunctionalGraph) throws -> SymbolicTensor {
        guard graph.outputs.count == 1 else {
            throw KestrelError.invalidArgument(
                "Model '\(name)' has \(graph.outputs.count) outputs (\(outputNames.joined(separator: ", "))); use model(inputs) with a list, or predictOutputs.")
        }
        return graph.outputs[0]
    }
}
