/// The layer graph of a functional model: its input and output tensors, the layer calls between
/// them in an order that runs every call after the calls it depends on, and the layers in Keras's
/// order (inputs first, then by distance from the outputs, ties in the order they were reached).
final class FunctionalGraph: @unchecked Sendable {
    let inputs: [SymbolicTensor]
    let outputs: [SymbolicTensor]
    /// The non-input nodes, each after the nodes that produce its inputs.
    let executionOrder: [Node]
    /// Every layer once (a shared layer appears once), Keras's `model.layers`.
    let layers: [Layer]
    /// Every node of the graph (input nodes too), each after the nodes it reads.
    let nodes: [Node]
    /// Each node's depth: its distance from the outputs (Keras's `nodes_by_depth` keys).
    let nodeDepths: [ObjectIdentifier: Int]

    /// `layerOrder` (layer names, from a saved config) replaces the computed order when it names the
    /// same layers, so a loaded model lists and saves its layers exactly as the file did.
    init(inputs: [SymbolicTensor], outputs: [SymbolicTensor], modelName: String, layerOrder: [String]? = nil) throws {
        guard !inputs.isEmpty else {
            throw KestrelError.invalidArgument("Model '\(modelName)': inputs is empty; pass the Input(shape:) tensors the outputs were computed from.")
        }
        guard !outputs.isEmpty else {
            throw KestrelError.invalidArgument("Model '\(modelName)': outputs is empty; pass the tensors returned by the last layer calls.")
        }
        var seen = Set<SymbolicTensor>()
        for input in inputs where !input.node.isInput {
            throw KestrelError.invalidArgument(
                "Model '\(modelName)': inputs must be Input(shape:) tensors, but \(input.describedForErrors) is the output of a layer call; start the graph from an Input.")
        }
        for input in inputs where !seen.insert(input).inserted {
            throw KestrelError.invalidArgument(
                "Model '\(modelName)': input \(input.describedForErrors) is given twice in inputs; list each input once.")
        }
        self.inputs = inputs
        self.outputs = outputs
        var traversal = GraphTraversal(inputs: Set(inputs), modelName: modelName)
        for output in outputs { try traversal.visit(output) }
        try traversal.checkEveryInputIsUsed(inputs)
        executionOrder = traversal.finished.filter { !$0.isInput }
        nodes = traversal.finished
        let (orderedLayers, depths) = traversal.layersInKerasOrder(inputs: inputs)
        if let layerOrder, layerOrder.count == orderedLayers.count, Set(layerOrder) == Set(orderedLayers.map(\.name)),
           Set(layerOrder).count == layerOrder.count {
            let byName = Dictionary(orderedLayers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            layers = layerOrder.compactMap { byName[$0] }
        } else {
            layers = orderedLayers
        }
        nodeDepths = depths
        var names = Set<String>()
        for layer in layers where !names.insert(layer.name).inserted {
            throw KestrelError.invalidArgument(
                "Model '\(modelName)': two different layers are named '\(layer.name)'; layer names in a model must be unique (pass name: to one of them).")
        }
    }

    /// The output values for `values` (one per input, batch first).
    func run(_ values: [Tensor], training: Bool, modelName: String, beforeActivationOf fused: [Node] = []) throws -> [Tensor] {
        guard values.count == inputs.count else {
            throw KestrelError.invalidArgument(
                "Model '\(modelName)' has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))) but was given \(values.count) arrays.")
        }
        var computed: [SymbolicTensor: Tensor] = [:]
        for (input, value) in zip(inputs, values) {
            let sampleShape = Array(value.shape.dropFirst())
            guard value.rank >= 1, sampleShape == input.shape else {
                throw KestrelError.shapeMismatch(
                    "Model '\(modelName)': input '\(input.name)' expects samples of shape \(LayerNaming.format(input.shape)) but got an array of shape \(value.shape); reshape the data or change Input(shape:).")
            }
            computed[input] = value
        }
        for node in executionOrder {
            let arguments = try node.inputs.map { tensor -> Tensor in
                guard let value = computed[tensor] else {
                    throw KestrelError.invalidState("Model '\(modelName)': tensor '\(tensor.name)' was needed before it was computed.")
                }
                return value
            }
            let results: [Tensor]
            if fused.contains(where: { $0 === node }) {
                results = [try node.layer.applyBeforeActivation(arguments[0], training: node.training ?? training)]
            } else {
                results = try node.layer.apply(arguments, training: node.training ?? training)
            }
            for (index, result) in results.enumerated() { computed[SymbolicTensor(node: node, index: index)] = result }
        }
        return try outputs.map { output in
            guard let value = computed[output] else {
                throw KestrelError.invalidState("Model '\(modelName)': output '\(output.name)' was not computed.")
            }
            return value
        }
    }

    /// The node whose activation the trainer may fuse into the loss: the single output's producer,
    /// when that layer has a fusable activation, runs on one input, and nothing else reads its output.
    func fusableOutputNode(activation: String) -> Node? {
        guard outputs.count == 1 else { return nil }
        return fusableNode(ofOutput: 0, activation: activation)
    }

    /// The node producing output `index` when its activation (`activation`) may be fused into that
    /// output's loss: the layer has that activation, runs on one input, and nothing else reads the
    /// output (no other node, no other model output).
    func fusableNode(ofOutput index: Int, activation: String) -> Node? {
        let output = outputs[index]
        let node = output.node
        guard !node.isInput, node.inputs.count == 1, node.outputShapes.count == 1, !(node.layer is Model),
              node.layer.fusableOutputActivation?.rawValue == activation,
              outputs.filter({ $0 == output }).count == 1 else { return nil }
        let readers = executionOrder.filter { candidate in candidate.inputs.contains(output) }
        return readers.isEmpty ? node : nil
    }
}

/// Keras's depth-first walk from the outputs back to the inputs (cycle and disconnection checks,
/// traversal order for sorting layers).
private struct GraphTraversal {
    let inputs: Set<SymbolicTensor>
    let modelName: String
    private(set) var finished: [Node] = []
    private var finishedSet = Set<ObjectIdentifier>()
    private var inProgress = Set<ObjectIdentifier>()
    private var layerIndex: [ObjectIdentifier: Int] = [:]
    private var layerByIdentifier: [ObjectIdentifier: Layer] = [:]

    init(inputs: Set<SymbolicTensor>, modelName: String) {
        self.inputs = inputs
        self.modelName = modelName
    }

    mutating func visit(_ tensor: SymbolicTensor, consumer: Node? = nil) throws {
        let node = tensor.node
        let key = ObjectIdentifier(node)
        if finishedSet.contains(key) { return }
        guard !inProgress.contains(key) else {
            throw KestrelError.invalidArgument(
                "Model '\(modelName)': tensor \(tensor.describedForErrors) is part of a cycle; a layer's output cannot feed back into its own inputs.")
        }
        let layerKey = ObjectIdentifier(node.layer)
        if layerIndex[layerKey] == nil {
            layerIndex[layerKey] = layerIndex.count
            layerByIdentifier[layerKey] = node.layer
        }
        inProgress.insert(key)
        if node.isInput, !inputs.contains(tensor) {
            let reader = consumer.map { " (read by layer '\($0.layer.name)' (\($0.layer.className)))" } ?? ""
            throw KestrelError.invalidArgument(
                "Model '\(modelName)': the graph is disconnected: it needs input \(tensor.describedForErrors)\(reader), which is not in inputs [\(inputs.map(\.name).sorted().joined(separator: ", "))]; add it to Model(inputs:).")
        }
        for parent in node.inputs { try visit(parent, consumer: node) }
        inProgress.remove(key)
        finishedSet.insert(key)
        finished.append(node)
    }

    /// Throws when an input feeds none of the outputs.
    func checkEveryInputIsUsed(_ inputs: [SymbolicTensor]) throws {
        for input in inputs where !finishedSet.contains(ObjectIdentifier(input.node)) {
            throw KestrelError.invalidArgument(
                "Model '\(modelName)': input \(input.describedForErrors) is not connected to any output; remove it from inputs or use it.")
        }
    }

    /// Layers by decreasing depth (distance from the outputs), ties by first traversal.
    func layersInKerasOrder(inputs: [SymbolicTensor]) -> ([Layer], [ObjectIdentifier: Int]) {
        var nodeDepth: [ObjectIdentifier: Int] = [:]
        var layerDepth: [ObjectIdentifier: Int] = [:]
        for node in finished.reversed() {
            let key = ObjectIdentifier(node)
            let layerKey = ObjectIdentifier(node.layer)
            let depth = max(nodeDepth[key, default: 0], layerDepth[layerKey, default: 0])
            layerDepth[layerKey] = depth
            nodeDepth[key] = depth
                        for parent in node.parentNodes {
                let parentKey = ObjectIdentifier(parent)
                nodeDepth[parentKey] = max(depth + 1, nodeDepth[parentKey, default: 0])
            }
        }
        let ordered = layerDepth.keys.sorted { lhs, rhs in
            let (leftDepth, rightDepth) = (layerDepth[lhs]!, layerDepth[rhs]!)
            return leftDepth != rightDepth ? leftDepth > rightDepth : layerIndex[lhs]! < layerIndex[rhs]!
        }
        return (ordered.compactMap { layerByIdentifier[$0] }, nodeDepth)
    }
}
