/// Flattens each sample to one dimension (Keras's `Flatten`).
public final class Flatten: Layer, @unchecked Sendable {
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] { [inputShape.reduce(1, *)] }

    public override var config: LayerConfig { super.config.merging(["data_format": .string("channels_last")]) { $1 } }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try input.flattenedBatch()
    }
}
