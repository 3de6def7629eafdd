/// Keras's mask propagation, as far as Kestrel supports it, for the layers of a `Sequential`: an
/// `Embedding(maskZero: true)` makes a mask of the non-padding positions; `Dropout`, `Activation` and
/// `ReLU` pass it on unchanged; `GlobalAveragePooling1D` averages over the unmasked steps and consumes it;
/// any other layer drops it (Keras's layers that do not support masking).
enum SequentialMasking {
    /// Runs `layer` on `input` with the mask of the layers before it; returns the output and the mask after it.
    static func run(_ layer: Layer, _ input: Tensor, mask: Tensor?, training: Bool) throws -> (output: Tensor, mask: Tensor?) {
        if let mask, let pooling = layer as? GlobalAveragePooling1D {
            return (try pooling.call(input, mask: mask, training: training), nil)
        }
        let output = try layer(input, training: training)
        if let embedding = layer as? Embedding { return (output, try embedding.computeMask(input)) }
        if layer is Dropout || layer is Activation || layer is ReLU { return (output, mask) }
        return (output, nil)
    }
}
