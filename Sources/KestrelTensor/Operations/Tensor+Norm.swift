extension Tensor {
    /// The Euclidean (L2) norm of all elements, `√Σx²`, accumulated in Double.
    public func l2Norm() -> Float {
        let backend = Backends.current
        return withExtendedLifetime(self) { Float(backend.sumOfSquares(buffer.pointer, count: count).squareRoot()) }
    }
}
