/// The element-wise maximum of its inputs (Keras's `Maximum`).
public final class Maximum: Merge, @unchecked Sendable {
    /// Combines the inputs element-wise (with broadcasting); throws naming the layer when the shapes differ.
    public override func merge(_ inputs: [Tensor]) throws -> Tensor {
        try inputs.dropFirst().reduce(inputs[0]) { try $0.maximum($1) }
    }
}
