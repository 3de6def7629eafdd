/// Applies an activation function (Keras's `Activation("relu")`).
public final class Activation: Layer, @unchecked Sendable {
    /// The function applied.
    public let activation: ActivationFunction

    /// Makes an activation layer.
    public init(_ activation: ActivationFunction, inputShape: [Int]? = nil, name: String? = nil) {
        self.activation = activation
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument(activation.isKnown, "activation", mustBe: "one of \(ActivationFunction.validNamesText)", got: "'\(activation.rawValue)'")
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { try activation.apply(input) }

    /// The final activation `fit` may fuse into a cross-entropy loss (nil when there is none).
    public override var fusableOutputActivation: ActivationFunction? { activation == .linear ? nil : activation }

    /// The forward pass without the final activation, which `fit` fuses into the loss.
    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor { input }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig { super.config.merging(["activation": .string(activation.rawValue)]) { $1 } }
}

extension Activation: KerasSerializable {
    /// Keras's `Activation.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(try reader.activation(), name: try reader.layerName())
    }
}
