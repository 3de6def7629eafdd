/// Flattens each sample to one dimension (Keras's `Flatten`).
public final class Flatten: Layer, @unchecked Sendable {
    /// Makes the layer; `inputShape` declares the model's input when the layer comes first in a `Sequential`.
    public init(inputShape: [Int]? = nil, name: String? = nil) {
        super.init(name: name)
        inputShapeArgument = inputShape
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard let total = Tensor.checkedElementCount(inputShape) else {
            throw KestrelError.shapeMismatch("Flatten '\(name)': samples of shape \(LayerNaming.format(inputShape)) have too many values to count.")
        }
        return [total]
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig { super.config.merging(["data_format": .string("channels_last")]) { $1 } }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try input.flattenedBatch()
    }
}

extension Flatten: KerasSerializable {
    /// Keras's `Flatten.from_config` (channels_last).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(name: try reader.layerName())
    }
}
