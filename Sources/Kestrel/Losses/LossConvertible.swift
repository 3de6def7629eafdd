/// What `compile(loss:)` accepts, as Keras accepts it: a loss object
/// (`SparseCategoricalCrossentropy(fromLogits: true)`), a shorthand (`.sparseCategoricalCrossentropy`) or a
/// Keras string (`"sparse_categorical_crossentropy"`, `"mse"`).
public protocol LossConvertible {
    /// The loss this argument stands for; throws for an unknown Keras string.
    func resolvedLoss() throws -> Loss
}

extension Loss: LossConvertible {
    /// The loss itself.
    public func resolvedLoss() throws -> Loss { self }
}

extension String: LossConvertible {
    /// The loss this Keras string names (`Loss.named`), with Keras's defaults.
    public func resolvedLoss() throws -> Loss { try Loss.named(self) }
}
