extension Tensor {
    /// Whether `other` is this very tensor's value: the same storage and shape (not merely equal values).
    /// For the package's data-parallel code, which checks that the gradients it is handed are the ones
    /// the backward pass reported.
    package func sharesValues(with other: Tensor) -> Bool {
        storage === other.storage && shape == other.shape
    }
}
