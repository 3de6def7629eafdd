/// Subtracts its second input from its first, element-wise (Keras's `Subtract`).
public final class Subtract: Merge, @unchecked Sendable {
    /// The number of inputs the layer takes.
    public override var inputCountRange: ClosedRange<Int> { 2...2 }

    /// Combines the inputs element-wise (with broadcasting); throws naming the layer when the shapes differ.
    public override func merge(_ inputs: [Tensor]) throws -> Tensor { try inputs[0] - inputs[1] }
}
