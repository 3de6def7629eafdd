/// Softmax over an axis (Keras's `Softmax` layer; default the last axis).
public final class Softmax: Layer, @unchecked Sendable {
    public let axis: Int

    /// Makes a softmax layer.
    public init(axis: Int = -1, name: String? = nil) {
        self.axis = axis
        super.init(name: name)
    }

    public override var config: LayerConfig { super.config.merging(["axis": .int(axis)]) { $1 } }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { try input.softmax(axis: axis) }

    public override var fusableOutputActivation: ActivationFunction? { axis == -1 ? .softmax : nil }

    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        axis == -1 ? input : try call(input, training: training)
    }
}
