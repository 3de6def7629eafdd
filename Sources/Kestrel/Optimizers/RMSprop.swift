/// RMSprop, as Keras 3 computes it: `v = ρv + (1 − ρ)g²`; the step is `lr · g / √(v + ε)` (centered:
/// `√(v − ḡ² + ε)` with `ḡ = ρḡ + (1 − ρ)g`); with momentum the step is accumulated,
/// `s = momentum · s + step`, and `w -= s`.
public final class RMSprop: Optimizer, @unchecked Sendable {
    /// Discount factor of the squared-gradient average.
    public let rho: Float
    /// Momentum factor (0 disables it).
    public let momentum: Float
    /// Small constant added inside the square root.
    public let epsilon: Float
    /// Whether to normalise by the centred second moment (variance estimate).
    public let centered: Bool

    /// Makes an RMSprop optimizer with Keras's defaults. Throws when a value is out of range.
    public init(learningRate: Float = 0.001, rho: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-7,
                centered: Bool = false, weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil) throws {
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        super.init(name: "rmsprop", learningRate: learningRate)
        try Optimizer.checkRange(rho, "rho", optimizer: name)
        try Optimizer.checkRange(momentum, "momentum", optimizer: name, closedUpper: true)
        try Optimizer.checkNonNegative(epsilon, "epsilon", optimizer: name)
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// Keras's positional spelling, `RMSprop(1e-5)`: the learning rate, other settings at Keras's defaults.
    public convenience init(_ learningRate: Float) throws {
        try self.init(learningRate: learningRate)
    }

    /// Slot 0: squared-gradient average; then the momentum accumulator (when momentum > 0); then the
    /// gradient average (when centered).
    /// Keras's `get_config()`.
    public override var config: LayerConfig {
        super.config.merging(["rho": KerasObjects.number(rho), "momentum": KerasObjects.number(momentum), "epsilon": KerasObjects.number(epsilon),
                              "centered": .bool(centered)]) { $1 }
    }

    public override var slotCount: Int { 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0) }

    /// Keras's slot names: `velocity`, then `momentum`, then `average_gradient`, as present.
    public override var slotNames: [String] {
        ["velocity"] + (momentum > 0 ? ["momentum"] : []) + (centered ? ["average_gradient"] : [])
    }

    /// One RMSprop step through the engine's `UpdateRule.rmsprop`.
    public override func update(parameter: Tensor, gradient: Tensor, slots: [Tensor], step: Int,
                                learningRate: Float) throws -> (parameter: Tensor, slots: [Tensor]) {
        try parameter.updated(by: .rmsprop(learningRate: learningRate, rho: rho, momentum: momentum, epsilon: epsilon,
                                           centered: centered), gradient: gradient, slots: slots)
    }

    /// The same rule, which `apply(gradients:to:)` runs in place where it can.
    override func updateRule(step: Int, learningRate: Float) -> UpdateRule? {
        .rmsprop(learningRate: learningRate, rho: rho, momentum: momentum, epsilon: epsilon, centered: centered)
    }
}

extension RMSprop: KerasSerializable {
    /// Keras's `RMSprop.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        let common = try reader.optimizerArguments(defaultLearningRate: 0.001)
        try self.init(learningRate: common.learningRate, rho: try reader.float("rho", default: 0.9), momentum: try reader.float("momentum", default: 0),
                      epsilon: try reader.float("epsilon", default: 1e-7), centered: try reader.bool("centered", default: false),
                      weightDecay: common.weightDecay, clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm)
    }
}
