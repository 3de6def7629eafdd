extension Tensor {
    /// NumPy's `astype`, for Keras lines such as `x_train.astype("float32") / 255`: Kestrel tensors hold
    /// float32 values, so `"float32"` gives the tensor itself. Any other type throws, naming it, since the
    /// values would not change type.
    public func astype(_ dtype: String) throws -> Tensor {
        guard dtype == "float32" else {
            throw KestrelError.invalidArgument(
                "astype(\"\(dtype)\"): Kestrel tensors hold float32 values only; use \"float32\" or leave the call out.")
        }
        return self
    }
}
