#if canImport(Glibc)
import Glibc
#endif

/// Adam, as Keras 3 computes it: `m += (g − m)(1 − β₁)`, `v += (g² − v)(1 − β₂)`,
/// `w -= m · α / (√v + ε)` with `α = lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ)` (bias correction folded into the
/// step size, ε outside the square root). With `amsgrad`, `v` is replaced by its running maximum.
public class Adam: Optimizer, @unchecked Sendable {
    /// Decay rate of the first moment.
    public let beta1: Float
    /// Decay rate of the second moment.
    public let beta2: Float
    /// Small constant added to the denominator.
    public let epsilon: Float
    /// Whether to use the AMSGrad variant.
    public let amsgrad: Bool

    /// Makes an Adam optimizer with Keras's defaults. Throws when a value is out of range.
    public convenience init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-7, amsgrad: Bool = false, weightDecay: Float? = nil,
                            clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws {
        try self.init(name: "adam", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                      amsgrad: amsgrad, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
                      globalClipnorm: globalClipnorm)
    }

    /// Keras's positional spelling, `Adam(1e-5)`: the learning rate, other settings at Keras's defaults.
    public convenience init(_ learningRate: Float) throws {
        try self.init(learningRate: learningRate)
    }

    /// Makes an Adam-family optimizer called `name` (used by `AdamW`).
    init(name: String, learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, amsgrad: Bool,
         weightDecay: Float?, clipnorm: Float?, clipvalue: Float?, globalClipnorm: Float?) throws {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        super.init(name: name, learningRate: learningRate)
        try Optimizer.checkRange(beta1, "beta1", optimizer: name)
        try Optimizer.checkRange(beta2, "beta2", optimizer: name)
        try Optimizer.checkNonNegative(epsilon, "epsilon", optimizer: name)
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// Keras's `Adam.from_config`.
    public required convenience init(config reader: KerasConfigReader) throws {
        let common = try reader.optimizerArguments(defaultLearningRate: 0.001)
        try self.init(learningRate: common.learningRate, beta1: try reader.float("beta_1", default: 0.9), beta2: try reader.float("beta_2", default: 0.999),
                      epsilon: try reader.float("epsilon", default: 1e-7), amsgrad: try reader.bool("amsgrad", default: false),
                      weightDecay: common.weightDecay, clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm)
    }

    /// Keras's `get_config()`.
    public override var config: LayerConfig {
        super.config.merging(["beta_1": KerasObjects.number(beta1), "beta_2": KerasObjects.number(beta2), "epsilon": KerasObjects.number(epsilon),
                              "amsgrad": .bool(amsgrad)]) { $1 }
    }

    /// Two slots (three with AMSGrad).
    public override var slotCount: Int { amsgrad ? 3 : 2 }

    /// Keras's slot names: `momentum`, `velocity` (and `velocity_hat` with AMSGrad).
    public override var slotNames: [String] { amsgrad ? ["momentum", "velocity", "velocity_hat"] : ["momentum", "velocity"] }

    /// One Adam step through the engine's `UpdateRule.adam`, with the bias correction folded into
    /// the step size `α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)`.
    public override func update(parameter: Tensor, gradient: Tensor, slots: [Tensor], step: Int,
                                learningRate: Float) throws -> (parameter: Tensor, slots: [Tensor]) {
        try parameter.updated(by: adamRule(step: step, learningRate: learningRate), gradient: gradient, slots: slots)
    }

    /// The same rule, which `apply(gradients:to:)` runs in place where it can.
    override func updateRule(step: Int, learningRate: Float) -> UpdateRule? { adamRule(step: step, learningRate: learningRate) }

    /// `UpdateRule.adam` for step `step` (counted from 1).
    private func adamRule(step: Int, learningRate: Float) -> UpdateRule {
        let t = Float(step)
        let alpha = learningRate * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        return .adam(alpha: alpha, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
    }
}

extension Adam: KerasSerializable {}
