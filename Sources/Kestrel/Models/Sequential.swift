/// A plain stack of layers, each feeding the next (Keras's `Sequential`).
///
/// Build it from a list, with `add(_:)`, or with a builder block:
/// `Sequential { Input(shape: [28, 28]); Flatten(); Dense(128, activation: .relu); Dense(10, activation: .softmax) }`.
/// With an `Input` first the model is built at once, so `summary()` works before `fit`. A layer made
/// with an invalid argument (`Dense(-5)`, an unknown activation name) or one that does not fit the
/// layers before it is rejected as it is added, with a `KestrelError` naming the layer and the argument.
open class Sequential: Model, @unchecked Sendable {
    private var stack: [Layer] = []
    /// The declared input shape (from `Input`), without the batch dimension.
    public private(set) var declaredInputShape: [Int]?

    /// Makes a model from `layers` (an `Input` may come first); throws for the first layer that is invalid.
    public init(_ layers: [Layer] = [], name: String? = nil) throws {
        super.init(name: name ?? LayerNaming.uniqueName(for: "sequential"))
        for layer in layers { try add(layer) }
    }

    /// Makes a model from a builder block; throws what the block throws or the first invalid layer.
    public convenience init(name: String? = nil, @LayerBuilder _ content: () throws -> [Layer]) throws {
        try self.init(content(), name: name)
    }

    /// Keras's class name of this model, as saved in `.keras` files.
    public override var className: String { "Sequential" }
    /// The layers in order.
    public override var layers: [Layer] { stack }

    /// Appends a layer (Keras's `model.add`). Adding an `Input` declares the input shape and builds
    /// the model; so does a first layer made with `inputShape:`, as in Keras 3. Throws, leaving the model unchanged, when the layer's arguments are invalid or it
    /// does not fit the output of the layers before it.
    public func add(_ layer: Layer) throws {
        try layer.validateArguments()
        if stack.isEmpty, declaredInputShape == nil, !(layer is Input), let shape = layer.inputShapeArgument {
            // Keras 3: the first layer's legacy `input_shape` becomes an InputLayer.
            try add(Input(shape: shape))
        }
        if let input = layer as? Input {
            try buildIfNeeded(inputShape: input.shape)
            declaredInputShape = input.shape
            return
        }
        if let declaredInputShape, isBuilt {
            let shape = try shapeBefore(layerCount: stack.count, from: declaredInputShape)
            try layer.buildIfNeeded(inputShape: shape)
        }
        stack.append(layer)
    }

    /// Removes and returns the last layer (Keras's `model.pop()`); throws when there is none.
    @discardableResult
    public func pop() throws -> Layer {
        guard let last = stack.popLast() else {
            throw KestrelError.invalidState("pop: model '\(name)' has no layers to remove.")
        }
        return last
    }

    private func shapeBefore(layerCount: Int, from inputShape: [Int]) throws -> [Int] {
        var shape = inputShape
        for layer in stack.prefix(layerCount) { shape = try layer.computeOutputShape(shape) }
        return shape
    }

    /// Builds every layer in turn for samples of `inputShape`; throws naming the first layer that does not fit.
    public override func build(inputShape: [Int]) throws {
        if let declaredInputShape, declaredInputShape != inputShape {
            throw KestrelError.shapeMismatch(
                "Model '\(name)' expects inputs of shape \(LayerNaming.format(declaredInputShape)) (its Input) but got \(LayerNaming.format(inputShape)); reshape the data or change Input(shape:).")
        }
        var shape = inputShape
        for layer in stack {
            try layer.buildIfNeeded(inputShape: shape)
            shape = try layer.computeOutputShape(shape)
        }
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        try shapeBefore(layerCount: stack.count, from: inputShape)
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        var output = input, mask: Tensor?
        for layer in stack { (output, mask) = try SequentialMasking.run(layer, output, mask: mask, training: training) }
        return output
    }

    /// The pass stopping before the last layer's sigmoid/softmax when `request` wants its logits: the
    /// activation is then applied to them (to a detached copy of the handle when the loss takes the logits).
    override func forward(_ input: Tensor, training: Bool, logitsFor request: LogitsRequest) throws -> ForwardResult {
        guard let last = stack.last, let activation = last.fusableOutputActivation, request.wants(activation.rawValue) else {
            return ForwardResult(output: try self(input, training: training), logits: nil)
        }
        try buildIfNeeded(inputShape: Array(input.shape.dropFirst()))
        var hidden = input, mask: Tensor?
        for layer in stack.dropLast() { (hidden, mask) = try SequentialMasking.run(layer, hidden, mask: mask, training: training) }
        let logits = try last.applyBeforeActivation(hidden, training: training)
        let output = try activation.apply(request.fuses(activation.rawValue) ? logits.detached : logits)
        return ForwardResult(output: output, logits: OutputLogits(values: logits, activation: activation.rawValue))
    }
}
