/// Multiplies its inputs element-wise (Keras's `Multiply`).
public final class Multiply: Merge, @unchecked Sendable {
    /// Combines the inputs element-wise (with broadcasting); throws naming the layer when the shapes differ.
    public override func merge(_ inputs: [Tensor]) throws -> Tensor {
        try inputs.dropFirst().reduce(inputs[0]) { try $0 * $1 }
    }
}
