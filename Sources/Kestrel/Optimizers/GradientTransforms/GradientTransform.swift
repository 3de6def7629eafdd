/// One stage between the backward pass and the optimizer's update: it receives every trainable
/// variable's gradient (in the order of `variables`) and returns the gradients to apply instead.
///
/// Gradient clipping (Keras's `clipnorm`, `clipvalue`, `global_clipnorm`) is made of transforms, and
/// so will be a cross-process all-reduce. `Model.gradientTransforms` run first, in `trainStep`; then
/// the optimizer runs its own `gradientTransforms` (its clipping) in `apply(gradients:to:)`.
public protocol GradientTransform: Sendable {
    /// Returns one gradient per variable, each shaped like its variable.
    func transform(_ gradients: [Tensor], variables: [Variable]) throws -> [Tensor]
}

/// Rescales each gradient so that its own L2 norm is at most `maximumNorm` (Keras's `clipnorm`).
public struct ClipByNorm: GradientTransform {
    /// The largest L2 norm a gradient keeps.
    public let maximumNorm: Float

    /// Clips each gradient's norm to `maximumNorm`.
    public init(maximumNorm: Float) { self.maximumNorm = maximumNorm }

    /// Scales every gradient whose norm exceeds `maximumNorm` by `maximumNorm / norm`.
    public func transform(_ gradients: [Tensor], variables: [Variable]) throws -> [Tensor] {
        gradients.map { gradient in
            let norm = gradient.l2Norm()
            let scale = maximumNorm / Swift.max(norm, maximumNorm)
            return norm > 0 && scale != 1 ? gradient.detached.scaled(by: scale) : gradient
        }
    }
}

/// Rescales all gradients together so that their joint L2 norm is at most `maximumNorm` (Keras's
/// `global_clipnorm`); a non-finite joint norm makes every gradient NaN, as in Keras.
public struct ClipByGlobalNorm: GradientTransform {
    /// The largest joint L2 norm the gradients keep.
    public let maximumNorm: Float

    /// Clips the joint norm of all gradients to `maximumNorm`.
    public init(maximumNorm: Float) { self.maximumNorm = maximumNorm }

    /// Scales every gradient by `maximumNorm · min(1/norm, 1/maximumNorm)` for the joint norm.
    public func transform(_ gradients: [Tensor], variables: [Variable]) throws -> [Tensor] {
        var squared: Double = 0
        for gradient in gradients {
            let norm = Double(gradient.l2Norm())
            squared += norm * norm
        }
        let norm = Float(squared.squareRoot())
        let scale = norm.isFinite ? maximumNorm * Swift.min(1 / norm, 1 / maximumNorm) : .nan
        return scale == 1 ? gradients : gradients.map { $0.detached.scaled(by: scale) }
    }
}

/// Clips every gradient element to `[-limit, limit]` (Keras's `clipvalue`).
public struct ClipByValue: GradientTransform {
    /// The largest magnitude an element keeps.
    public let limit: Float

    /// Clips elements to `[-limit, limit]`.
    public init(limit: Float) { self.limit = limit }

    /// Returns the gradients with every element clipped.
    public func transform(_ gradients: [Tensor], variables: [Variable]) throws -> [Tensor] {
        gradients.map { $0.detached.clipped(lower: -limit, upper: limit) }
    }
}
