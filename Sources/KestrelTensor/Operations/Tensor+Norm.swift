extension Tensor {
    /// The Euclidean (L2) norm of all elements, `√Σx²`, accumulated in Double.
    public func l2Norm() -> Float {
        withUnsafeBufferPointer { values in
            var total: Double = 0
            for value in values { total += Double(value) * Double(value) }
            return Float(total.squareRoot())
        }
    }
}
