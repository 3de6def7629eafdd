/// The elementwise functions of one input a backend implements (`KernelBackend.unary`).
enum UnaryKernel: Sendable, Equatable {
    case exp, log, sqrt, square, abs, sigmoid, tanh
    /// `x^exponent` (`powf`).
    case pow(Float)
    /// `x > 0 ? x : 0` (NaN gives 0).
    case relu
    /// `min(max(x, lower), upper)`.
    case clip(lower: Float, upper: Float)
    /// `x + value`.
    case addScalar(Float)
    /// `x · factor`.
    case scale(Float)
    /// `1 − x`.
    case oneMinus
    /// `x != 0 ? 1 : 0`.
    case nonZero
}

/// The elementwise functions of two broadcast inputs a backend implements (`KernelBackend.binary`).
/// The gradient kernels take the output gradient as `a` and the forward input or output as `b`.
enum BinaryKernel: Sendable, Equatable {
    case add, subtract, multiply, divide
    /// `a >= b ? a : b`.
    case maximum
    /// `a >= b ? 1 : 0` (the mask of `maximum`'s gradient).
    case greaterEqualMask
    /// Comparisons: 1 where the predicate holds, else 0.
    case greater, less, lessEqual, equal, notEqual
    /// `a != 0 ? b : 0`.
    case keepWhere
    /// `a != 0 ? 0 : b`.
    case dropWhere
    /// `a` (repeats `a` over `b`'s broadcast shape).
    case first
    /// Gradient of `sqrt` from its output: `a · 0.5 / b`.
    case sqrtBackward
    /// Gradient of `x²` from its input: `a · 2 · b`.
    case squareBackward
    /// Gradient of `x^e` from its input: `a · e · b^(e−1)`.
    case powBackward(Float)
    /// Gradient of `|x|`: `b > 0 ? a : (b < 0 ? −a : 0)`.
    case absBackward
    /// Gradient of sigmoid from its output: `a · b · (1 − b)`.
    case sigmoidBackward
    /// Gradient of tanh from its output: `a · (1 − b²)`.
    case tanhBackward
    /// Gradient of relu from its output: `b > 0 ? a : 0`.
    case reluBackward
    /// Gradient of clip from its input: `lower ≤ b ≤ upper ? a : 0`.
    case clipBackward(lower: Float, upper: Float)
}

/// What a reduction keeps along its axis.
enum ReductionKind: Sendable, Equatable { case sum, maximum, minimum }
