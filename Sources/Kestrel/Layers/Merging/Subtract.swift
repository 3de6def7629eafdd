/// Subtracts its second input from its first, element-wise (Keras's `Subtract`).
public final class Subtract: Merge, @unchecked Sendable {
    /// Makes a subtracting layer (exactly two inputs).
    public override init(name: String? = nil) { super.init(name: name) }

    public override var inputCountRange: ClosedRange<Int> { 2...2 }

    public override func merge(_ inputs: [Tensor]) throws -> Tensor { try inputs[0] - inputs[1] }
}
