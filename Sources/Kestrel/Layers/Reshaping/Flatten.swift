/// Flattens each sample to one dimension (Keras's `Flatten`).
public final class Flatten: Layer, @unchecked Sendable {
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard let total = Tensor.checkedElementCount(inputShape) else {
            throw KestrelError.shapeMismatch("Flatten '\(name)': samples of shape \(LayerNaming.format(inputShape)) have too many values to count.")
        }
        return [total]
    }

    public override var config: LayerConfig { super.config.merging(["data_format": .string("channels_last")]) { $1 } }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try input.flattenedBatch()
    }
}
