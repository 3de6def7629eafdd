/// One call of a layer on symbolic tensors (Keras's `Node`): the layer, the tensors it was called on,
/// the shapes of what it returned, and a fixed `training` flag when the call gave one
/// (`base(x, training: false)`). An `Input` owns a node with no inputs.
final class Node: @unchecked Sendable {
    let layer: Layer
    let inputs: [SymbolicTensor]
    let outputShapes: [[Int]]
    let training: Bool?

    init(layer: Layer, inputs: [SymbolicTensor], outputShapes: [[Int]], training: Bool?) {
        self.layer = layer
        self.inputs = inputs
        self.outputShapes = outputShapes
        self.training = training
    }

    /// Whether this is the node of an `Input` (it has no inbound tensors).
    var isInput: Bool { inputs.isEmpty }

    /// The symbolic tensors this call returned.
    var outputs: [SymbolicTensor] { outputShapes.indices.map { SymbolicTensor(node: self, index: $0) } }

    /// The nodes that produced this node's inputs.
    var parentNodes: [Node] { inputs.map(\.node) }
}

/// A layer's record of the nodes it was called in, held weakly so a layer does not keep graphs alive
/// (the symbolic tensors and models that use a node keep it).
struct InboundNodes: Sendable {
    private final class WeakNode: @unchecked Sendable {
        weak var node: Node?
        init(_ node: Node) { self.node = node }
    }
    private var references: [WeakNode] = []

    /// The nodes still alive, in call order.
    var nodes: [Node] { references.compactMap(\.node) }

    /// The position of `node` among all calls of the layer (Keras's node index, `shared[1][0]`).
    func index(of node: Node) -> Int? { references.firstIndex { $0.node === node } }

    mutating func append(_ node: Node) { references.append(WeakNode(node)) }
}
