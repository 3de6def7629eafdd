/// Stochastic gradient descent with optional (Nesterov) momentum, as Keras 3's `SGD`:
/// without momentum `w -= lr·g`; with it `m = momentum·m − lr·g`, then `w += m`
/// (or, with Nesterov, `w += momentum·m − lr·g`).
public final class SGD: Optimizer, @unchecked Sendable {
    /// The momentum factor (0 disables momentum).
    public let momentum: Float
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool

    /// Makes an SGD optimizer with Keras's defaults. Throws when a value is out of range.
    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil) throws {
        self.momentum = momentum
        self.nesterov = nesterov
        super.init(name: "sgd", learningRate: learningRate)
        guard momentum.isFinite, momentum >= 0, momentum <= 1 else {
            throw KestrelError.invalidArgument("SGD: momentum must be a float between [0, 1], got \(momentum).")
        }
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// Keras's positional spelling, `SGD(1e-5)`: the learning rate, other settings at Keras's defaults.
    public convenience init(_ learningRate: Float) throws {
        try self.init(learningRate: learningRate)
    }

    /// Keras's `get_config()`.
    public override var config: LayerConfig {
        super.config.merging(["momentum": KerasObjects.number(momentum), "nesterov": .bool(nesterov)]) { $1 }
    }

    /// One slot (the momentum) when `momentum != 0`, else none.
    public override var slotCount: Int { momentum != 0 ? 1 : 0 }

    /// Keras's slot name: `momentum`.
    public override var slotNames: [String] { momentum != 0 ? ["momentum"] : [] }

    /// One SGD step through the engine's `UpdateRule.sgd`.
    public override func update(parameter: Tensor, gradient: Tensor, slots: [Tensor], step: Int,
                                learningRate: Float) throws -> (parameter: Tensor, slots: [Tensor]) {
        try parameter.updated(by: .sgd(learningRate: learningRate, momentum: momentum, nesterov: nesterov),
                              gradient: gradient, slots: slots)
    }

    /// The same rule, which `apply(gradients:to:)` runs in place where it can.
    override func updateRule(step: Int, learningRate: Float) -> UpdateRule? {
        .sgd(learningRate: learningRate, momentum: momentum, nesterov: nesterov)
    }
}

extension SGD: KerasSerializable {
    /// Keras's `SGD.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        let common = try reader.optimizerArguments(defaultLearningRate: 0.01)
        try self.init(learningRate: common.learningRate, momentum: try reader.float("momentum", default: 0), nesterov: try reader.bool("nesterov", default: false),
                      weightDecay: common.weightDecay, clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm)
    }
}
