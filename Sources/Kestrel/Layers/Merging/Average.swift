/// The element-wise mean of its inputs (Keras's `Average`).
public final class Average: Merge, @unchecked Sendable {
    /// Combines the inputs element-wise (with broadcasting); throws naming the layer when the shapes differ.
    public override func merge(_ inputs: [Tensor]) throws -> Tensor {
        try inputs.dropFirst().reduce(inputs[0]) { try $0 + $1 } / Float(inputs.count)
    }
}
