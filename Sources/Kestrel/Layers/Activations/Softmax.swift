/// Softmax over an axis (Keras's `Softmax` layer; default the last axis).
public final class Softmax: Layer, @unchecked Sendable {
    /// The axis normalised to sum to 1 (default the last).
    public let axis: Int

    /// Makes a softmax layer.
    public init(axis: Int = -1, name: String? = nil) {
        self.axis = axis
        super.init(name: name)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig { super.config.merging(["axis": .int(axis)]) { $1 } }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { try input.softmax(axis: axis) }

    /// The final activation `fit` may fuse into a cross-entropy loss (nil when there is none).
    public override var fusableOutputActivation: ActivationFunction? { axis == -1 ? .softmax : nil }

    /// The forward pass without the final activation, which `fit` fuses into the loss.
    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        axis == -1 ? input : try call(input, training: training)
    }
}

extension Softmax: KerasSerializable {
    /// Keras's `Softmax.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(axis: try reader.axis(), name: try reader.layerName())
    }
}
