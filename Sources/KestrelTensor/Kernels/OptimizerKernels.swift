import CKernels

/// Optimizer update loops that are bound by vector square roots and divisions. They run in C so
/// processors with AVX2 take 8-wide instructions (chosen at run time; Swift code is compiled for the
/// baseline instruction set), with the same IEEE rounding on every path.
public enum OptimizerKernels {
    /// Keras 3's Adam step on `range` of one variable: `m += (g − m)(1 − β₁)`, `v += (g² − v)(1 − β₂)`,
    /// `v̂ = max(v̂, v)` when `maximumVariances` is given (AMSGrad), `w −= m·α / (√(v̂ or v) + ε)`.
    /// All pointers address the whole variable; only `range` is touched.
    @inline(__always)
    public static func adam(weights: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
                            means: UnsafeMutablePointer<Float>, variances: UnsafeMutablePointer<Float>,
                            maximumVariances: UnsafeMutablePointer<Float>?, range: Range<Int>, alpha: Float,
                            oneMinusBeta1: Float, oneMinusBeta2: Float, epsilon: Float) {
        let start = range.lowerBound
        kestrel_adam_update(weights + start, gradients + start, means + start, variances + start,
                            maximumVariances.map { $0 + start }, range.count, alpha, oneMinusBeta1,
                            oneMinusBeta2, epsilon)
    }
}
