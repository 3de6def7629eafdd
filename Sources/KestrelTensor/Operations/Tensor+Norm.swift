extension Tensor {
    /// The Euclidean (L2) norm of all elements, `√Σx²`, accumulated in Double.
    public func l2Norm() -> Float {
        Float(backend.sumOfSquares(storage, count: count).squareRoot())
    }
}
