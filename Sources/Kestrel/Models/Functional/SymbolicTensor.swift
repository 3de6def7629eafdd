/// Something that stands for a symbolic tensor when building a functional model: a `SymbolicTensor`
/// itself, or an `Input` (which stands for the tensor it feeds into the graph).
public protocol SymbolicTensorConvertible {
    /// The symbolic tensor this value stands for.
    var symbolicTensor: SymbolicTensor { get }
}

/// A placeholder for a batch of values flowing through a functional model while it is being built
/// (Keras's `KerasTensor`): it knows its sample shape (without the batch dimension) and which layer
/// call produced it. Calling a layer on symbolic tensors records that call and returns new ones.
///
/// ```swift
/// let inputs = Input(shape: [28, 28, 1], name: "image")
/// let x = try Conv2D(32, 3, activation: .relu)(inputs)
/// let outputs = try Dense(10, activation: .softmax)(try Flatten()(x))
/// let model = try Model(inputs: inputs, outputs: outputs)
/// ```
public struct SymbolicTensor: SymbolicTensorConvertible, Hashable, CustomStringConvertible, @unchecked Sendable {
    /// The layer call that produced this tensor.
    let node: Node
    /// Which of that call's outputs this is.
    let index: Int

    init(node: Node, index: Int) {
        self.node = node
        self.index = index
    }

    /// The shape of one sample (without the batch dimension).
    public var shape: [Int] { node.outputShapes[index] }
    /// The layer whose call produced this tensor (an `Input` for a model input).
    public var layer: Layer { node.layer }
    /// The tensor's name: the producing layer's name, with the output index when it has several.
    public var name: String { node.outputShapes.count == 1 ? node.layer.name : "\(node.layer.name)_\(index)" }
    /// The tensor itself.
    public var symbolicTensor: SymbolicTensor { self }

    /// Keras's text for a symbolic tensor: its name and shape.
    public var description: String {
        "<SymbolicTensor shape=\(LayerNaming.format(shape)), name=\(name)>"
    }

    /// The same output of the same node.
    public static func == (lhs: SymbolicTensor, rhs: SymbolicTensor) -> Bool {
        lhs.node === rhs.node && lhs.index == rhs.index
    }

    /// Hashes the node and output index.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(node))
        hasher.combine(index)
    }

    /// "'dense' (Dense) of shape (None, 10)", for error messages.
    var describedForErrors: String {
        "'\(name)' from layer '\(layer.name)' (\(layer.className)), shape \(LayerNaming.format(shape))"
    }
}
