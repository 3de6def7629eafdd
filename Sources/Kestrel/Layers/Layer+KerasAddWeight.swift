/// `addWeight` in the argument orders Keras code writes: Keras's own signature,
/// `add_weight(shape, initializer, dtype, trainable, regularizer, name)`, with `name=` last, `initializer=`
/// before `shape=` (`add_weight(initializer="zeros", shape=(input_dim,), trainable=False)`) and `dtype=`.
/// Each takes the initializer as an `Initializer` (`.randomNormal()`) or by its Keras name (`"zeros"`).
/// The name-first order (`addWeight(name: "total", shape: …)`) and the unnamed one are `addWeight`'s own.
extension Layer {
    /// Keras's order with `name:` last: `addWeight(shape: [..], initializer: .randomNormal(), trainable: true, name: "w")`.
    @discardableResult
    public func addWeight(shape: [Int], initializer: Initializer = .glorotUniform, dtype: String = "float32",
                          trainable: Bool = true, regularizer: Regularizer? = nil, name: String) throws -> Variable {
        try checkWeightType(dtype, weight: name)
        return try addWeight(name: name, shape: shape, initializer: initializer, regularizer: regularizer, trainable: trainable)
    }

    /// Keras's order with `name:` last and the initializer by its Keras name:
    /// `addWeight(shape: [units], initializer: "zeros", trainable: true, name: "b")`.
    @discardableResult
    public func addWeight(shape: [Int], initializer: String, dtype: String = "float32",
                          trainable: Bool = true, regularizer: Regularizer? = nil, name: String) throws -> Variable {
        try checkWeightType(dtype, weight: name)
        return try addWeight(name: name, shape: shape, initializer: initializer, regularizer: regularizer, trainable: trainable)
    }

    /// Keras's order with `dtype:` given and no name: `addWeight(shape: [], initializer: .zeros, dtype: "float32", trainable: false)`.
    @discardableResult
    public func addWeight(shape: [Int], initializer: Initializer = .glorotUniform, dtype: String,
                          trainable: Bool = true, regularizer: Regularizer? = nil) throws -> Variable {
        try checkWeightType(dtype, weight: nil)
        return try addWeight(name: nil, shape: shape, initializer: initializer, regularizer: regularizer, trainable: trainable)
    }

    /// `dtype:` given, no name, the initializer by its Keras name.
    @discardableResult
    public func addWeight(shape: [Int], initializer: String, dtype: String,
                          trainable: Bool = true, regularizer: Regularizer? = nil) throws -> Variable {
        try checkWeightType(dtype, weight: nil)
        return try addWeight(name: nil, shape: shape, initializer: initializer, regularizer: regularizer, trainable: trainable)
    }

    /// The initializer first, as keras-io's guides write it:
    /// `addWeight(initializer: .zeros, shape: [inputDim], trainable: false)`.
    @discardableResult
    public func addWeight(initializer: Initializer, shape: [Int], dtype: String = "float32", trainable: Bool = true,
                          regularizer: Regularizer? = nil, name: String? = nil) throws -> Variable {
        try checkWeightType(dtype, weight: name)
        return try addWeight(name: name, shape: shape, initializer: initializer, regularizer: regularizer, trainable: trainable)
    }

    /// The initializer first, by its Keras name: `addWeight(initializer: "zeros", shape: [inputDim], trainable: false)`.
    @discardableResult
    public func addWeight(initializer: String, shape: [Int], dtype: String = "float32", trainable: Bool = true,
                          regularizer: Regularizer? = nil, name: String? = nil) throws -> Variable {
        try checkWeightType(dtype, weight: name)
        return try addWeight(name: name, shape: shape, initializer: initializer, regularizer: regularizer, trainable: trainable)
    }

    /// Throws unless `dtype` is "float32", the one type Kestrel's weights hold, naming the layer and weight.
    private func checkWeightType(_ dtype: String, weight: String?) throws {
        guard dtype == "float32" else {
            throw KestrelError.invalidArgument(
                "\(className) '\(name)': addWeight(dtype:) '\(dtype)' for weight '\(weight ?? "unnamed")' is not supported; Kestrel's weights are float32 (pass dtype: \"float32\" or leave it out).")
        }
    }
}
