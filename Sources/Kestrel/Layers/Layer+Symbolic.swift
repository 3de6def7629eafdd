extension Layer {
    /// Calls the layer on a symbolic tensor (or an `Input`) while building a functional model: checks
    /// and infers the output shape (building the layer), records the call, and returns the output tensor.
    /// `training` fixes the mode for this call whatever the model runs in (`base(x, training: false)`).
    public func callAsFunction(_ input: some SymbolicTensorConvertible, training: Bool? = nil) throws -> SymbolicTensor {
        try singleOutput(of: callSymbolic([input.symbolicTensor], training: training))
    }

    /// Calls a layer that takes several tensors (`Add()([a, b])`, `Concatenate()([x, y])`, a model
    /// with several inputs) on symbolic tensors.
    public func callAsFunction(_ inputs: [any SymbolicTensorConvertible], training: Bool? = nil) throws -> SymbolicTensor {
        try singleOutput(of: callSymbolic(inputs.map(\.symbolicTensor), training: training))
    }

    /// Calls the layer on symbolic tensors and returns all its outputs (a model with several outputs).
    public func callSymbolic(_ inputs: [SymbolicTensor], training: Bool? = nil) throws -> [SymbolicTensor] {
        if self is Input {
            throw KestrelError.invalidArgument("Input '\(name)' cannot be called on tensors; use it directly as the model's input tensor.")
        }
        let shapes = try symbolicOutputShapes(for: inputs)
        let node = Node(layer: self, inputs: inputs, outputShapes: shapes, training: training)
        inboundNodes.append(node)
        return node.outputs
    }

    private func singleOutput(of outputs: [SymbolicTensor]) throws -> SymbolicTensor {
        guard outputs.count == 1 else {
            throw KestrelError.invalidArgument(
                "Layer '\(name)' (\(className)) returns \(outputs.count) tensors; use callSymbolic(_:) to get all of them.")
        }
        return outputs[0]
    }

    /// The input tensor of a layer called once in a graph (Keras's `layer.input`).
    public var input: SymbolicTensor {
        get throws {
            if let model = self as? Model, let graph = model.graph { return try Self.only(graph.inputs, "input", of: self) }
            return try Self.only(try onlyNode(property: "input").inputs, "input", of: self)
        }
    }

    /// The output tensor of a layer called once in a graph (Keras's `layer.output`).
    public var output: SymbolicTensor {
        get throws {
            if let model = self as? Model, let graph = model.graph { return try Self.only(graph.outputs, "output", of: self) }
            return try Self.only(try onlyNode(property: "output").outputs, "output", of: self)
        }
    }

    private func onlyNode(property: String) throws -> Node {
        let nodes = inboundNodes.nodes
        guard nodes.count == 1 else {
            throw KestrelError.invalidState(nodes.isEmpty
                ? "Layer '\(name)' (\(className)) has no \(property) yet: it has not been called on a symbolic tensor."
                : "Layer '\(name)' (\(className)) was called \(nodes.count) times (a shared layer), so it has no single \(property); use the tensors those calls returned.")
        }
        return nodes[0]
    }

    private static func only(_ tensors: [SymbolicTensor], _ property: String, of layer: Layer) throws -> SymbolicTensor {
        guard tensors.count == 1 else {
            throw KestrelError.invalidState(
                "Layer '\(layer.name)' (\(layer.className)) has \(tensors.count) \(property)s, so `\(property)` is ambiguous; use model.\(property)s.")
        }
        return tensors[0]
    }

    /// Output shapes for a call on `inputs`, building the layer; errors name this layer and the inputs.
    func symbolicOutputShapes(for inputs: [SymbolicTensor]) throws -> [[Int]] {
        // An invalid argument is the layer's own problem, not one of the inputs: thrown as it is.
        try validateArguments()
        do {
            if let merge = self as? Merge {
                return [try merge.outputShape(forInputs: inputs.map(\.shape))]
            }
            if let model = self as? Model, let graph = model.graph {
                return try graph.outputShapes(forInputs: inputs.map(\.shape), modelName: model.name)
            }
            guard inputs.count == 1 else {
                throw KestrelError.invalidArgument("it takes one tensor but was called on \(inputs.count)")
            }
            try buildIfNeeded(inputShape: inputs[0].shape)
            return [try computeOutputShape(inputs[0].shape)]
        } catch let error as KestrelError {
            let described = inputs.map(\.describedForErrors).joined(separator: " and ")
            throw KestrelError.shapeMismatch(
                "Layer '\(name)' (\(className)) cannot be called on \(described): \(error.message)")
        }
    }

    /// Runs the layer on concrete values inside a functional model.
    func apply(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
        if let merge = self as? Merge { return [try merge(inputs, training: training)] }
        if let model = self as? Model, let graph = model.graph {
            return try graph.run(inputs, training: training, modelName: model.name)
        }
        guard inputs.count == 1 else {
            throw KestrelError.invalidArgument("Layer '\(name)' (\(className)) takes one tensor but was given \(inputs.count).")
        }
        return [try self(inputs[0], training: training)]
    }
}

extension FunctionalGraph {
    /// The output shapes when this graph runs as a layer on inputs of `shapes`.
    func outputShapes(forInputs shapes: [[Int]], modelName: String) throws -> [[Int]] {
        guard shapes.count == inputs.count else {
            throw KestrelError.invalidArgument("model '\(modelName)' takes \(inputs.count) inputs but was called on \(shapes.count)")
        }
        for (input, shape) in zip(inputs, shapes) where input.shape != shape {
            throw KestrelError.shapeMismatch(
                "model '\(modelName)' input '\(input.name)' expects \(LayerNaming.format(input.shape)) but got \(LayerNaming.format(shape))")
        }
        return outputs.map(\.shape)
    }
}
