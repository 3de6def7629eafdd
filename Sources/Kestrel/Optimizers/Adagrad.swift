/// Adagrad, as Keras 3 computes it: `acc += g²`, `w -= lr · g / √(acc + ε)`, with the accumulator
/// starting at `initialAccumulatorValue`.
public final class Adagrad: Optimizer, @unchecked Sendable {
    /// The accumulator's starting value.
    public let initialAccumulatorValue: Float
    /// Small constant added inside the square root.
    public let epsilon: Float

    /// Makes an Adagrad optimizer with Keras's defaults. Throws when a value is out of range.
    public init(learningRate: Float = 0.001, initialAccumulatorValue: Float = 0.1, epsilon: Float = 1e-7,
                weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil) throws {
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
        super.init(name: "adagrad", learningRate: learningRate)
        try Optimizer.checkNonNegative(initialAccumulatorValue, "initialAccumulatorValue", optimizer: name)
        try Optimizer.checkNonNegative(epsilon, "epsilon", optimizer: name)
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// One slot, the accumulator.
    public override var slotCount: Int { 1 }

    /// Keras's `get_config()`.
    public override var config: LayerConfig {
        super.config.merging(["initial_accumulator_value": KerasObjects.number(initialAccumulatorValue), "epsilon": KerasObjects.number(epsilon)]) { $1 }
    }

    /// Keras's slot name: `accumulator`.
    public override var slotNames: [String] { ["accumulator"] }

    /// The accumulator starts at `initialAccumulatorValue`.
    public override func initialSlotValue(at index: Int) -> Float { initialAccumulatorValue }

    /// One Adagrad step through the engine's `UpdateRule.adagrad`.
    public override func update(parameter: Tensor, gradient: Tensor, slots: [Tensor], step: Int,
                                learningRate: Float) throws -> (parameter: Tensor, slots: [Tensor]) {
        try parameter.updated(by: .adagrad(learningRate: learningRate, epsilon: epsilon), gradient: gradient, slots: slots)
    }

    /// The same rule, which `apply(gradients:to:)` runs in place where it can.
    override func updateRule(step: Int, learningRate: Float) -> UpdateRule? { .adagrad(learningRate: learningRate, epsilon: epsilon) }
}

extension Adagrad: KerasSerializable {
    /// Keras's `Adagrad.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        let common = try reader.optimizerArguments(defaultLearningRate: 0.001)
        try self.init(learningRate: common.learningRate, initialAccumulatorValue: try reader.float("initial_accumulator_value", default: 0.1),
                      epsilon: try reader.float("epsilon", default: 1e-7), weightDecay: common.weightDecay, clipnorm: common.clipnorm,
                      clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm)
    }
}
