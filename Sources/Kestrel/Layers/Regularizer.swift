/// A weight penalty added to the training loss (Keras's `kernel_regularizer`…):
/// `l1 · Σ|w| + l2 · Σw²`.
public struct Regularizer: Sendable, Equatable {
    /// Factor of the absolute-value penalty.
    public var l1: Float
    /// Factor of the squared penalty.
    public var l2: Float

    /// A penalty with both factors.
    public init(l1: Float = 0, l2: Float = 0) {
        self.l1 = l1
        self.l2 = l2
    }

    /// Whether both factors are finite and ≥ 0, as Keras requires.
    public var isValid: Bool { l1.isFinite && l1 >= 0 && l2.isFinite && l2 >= 0 }

    /// Keras's `regularizers.l1(0.01)`.
    public static func l1(_ factor: Float = 0.01) -> Regularizer { Regularizer(l1: factor) }
    /// Keras's `regularizers.l2(0.01)`.
    public static func l2(_ factor: Float = 0.01) -> Regularizer { Regularizer(l2: factor) }
    /// Keras's `regularizers.l1_l2(l1=0.01, l2=0.01)`.
    public static func l1l2(l1: Float = 0.01, l2: Float = 0.01) -> Regularizer { Regularizer(l1: l1, l2: l2) }

    /// The penalty for `weights`, as a scalar tensor.
    public func penalty(_ weights: Tensor) throws -> Tensor {
        var total = Tensor(scalar: 0)
        if l1 != 0 { total = try total + (try weights.abs().sum()) * l1 }
        if l2 != 0 { total = try total + (try weights.squared().sum()) * l2 }
        return total
    }
}
