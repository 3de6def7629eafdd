/// Applies an activation function (Keras's `Activation("relu")`).
public final class Activation: Layer, @unchecked Sendable {
    public let activation: ActivationFunction

    /// Makes an activation layer.
    public init(_ activation: ActivationFunction, name: String? = nil) {
        self.activation = activation
        super.init(name: name)
        requireArgument(activation.isKnown, "activation", mustBe: "one of \(ActivationFunction.validNamesText)", got: "'\(activation.rawValue)'")
    }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { try activation.apply(input) }

    public override var fusableOutputActivation: ActivationFunction? { activation == .linear ? nil : activation }

    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor { input }

    public override var config: LayerConfig { super.config.merging(["activation": .string(activation.rawValue)]) { $1 } }
}
