/// A plain stack of layers, each feeding the next (Keras's `Sequential`).
///
/// Build it from a list, with `add(_:)`, or with a builder block:
/// `Sequential { Input(shape: [28, 28]); Flatten(); Dense(128, activation: .relu); Dense(10, activation: .softmax) }`.
/// With an `Input` first the model is built at once, so `summary()` works before `fit`.
open class Sequential: Model, @unchecked Sendable {
    private var stack: [Layer] = []
    /// The declared input shape (from `Input`), without the batch dimension.
    public private(set) var declaredInputShape: [Int]?
    private var buildError: KestrelError?

    /// Makes a model from `layers` (an `Input` may come first).
    public init(_ layers: [Layer] = [], name: String? = nil) {
        super.init(name: name ?? LayerNaming.uniqueName(for: "sequential"))
        for layer in layers { add(layer) }
    }

    /// Makes a model from a builder block.
    public convenience init(name: String? = nil, @LayerBuilder _ content: () -> [Layer]) {
        self.init(content(), name: name)
    }

    public override var className: String { "Sequential" }
    public override var layers: [Layer] { stack }

    /// Appends a layer (Keras's `model.add`). Adding an `Input` declares the input shape.
    public func add(_ layer: Layer) {
        if let input = layer as? Input {
            declaredInputShape = input.shape
            do { try buildIfNeeded(inputShape: input.shape) } catch let error as KestrelError { buildError = error } catch {}
            return
        }
        stack.append(layer)
        if let declaredInputShape, isBuilt {
            do {
                let shape = try shapeBefore(layerCount: stack.count - 1, from: declaredInputShape)
                try layer.buildIfNeeded(inputShape: shape)
            } catch let error as KestrelError { buildError = error } catch {}
        }
    }

    private func shapeBefore(layerCount: Int, from inputShape: [Int]) throws -> [Int] {
        var shape = inputShape
        for layer in stack.prefix(layerCount) { shape = try layer.computeOutputShape(shape) }
        return shape
    }

    public override func build(inputShape: [Int]) throws {
        if let buildError { throw buildError }
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

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        try shapeBefore(layerCount: stack.count, from: inputShape)
    }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        var output = input
        for layer in stack { output = try layer(output, training: training) }
        return output
    }

    override func forward(_ input: Tensor, training: Bool, fusing activation: String?) throws -> ForwardResult {
        guard let activation, let last = stack.last, last.fusableOutputActivation?.rawValue == activation else {
            return ForwardResult(output: try self(input, training: training), logits: nil)
        }
        try buildIfNeeded(inputShape: Array(input.shape.dropFirst()))
        var hidden = input
        for layer in stack.dropLast() { hidden = try layer(hidden, training: training) }
        let logits = try last.applyBeforeActivation(hidden, training: training)
        let output = try last.fusableOutputActivation!.apply(logits.detached)
        return ForwardResult(output: output, logits: logits)
    }
}
