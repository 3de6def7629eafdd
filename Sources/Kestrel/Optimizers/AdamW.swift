/// Adam with decoupled weight decay, as Keras 3's `AdamW`: before each Adam step every trainable
/// variable shrinks by `variable · weightDecay · learningRate`.
public final class AdamW: Adam, @unchecked Sendable {
    /// Makes an AdamW optimizer with Keras's defaults (weight decay 0.004). Throws when a value is out of range.
    public init(learningRate: Float = 0.001, weightDecay: Float = 0.004, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-7, amsgrad: Bool = false, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil) throws {
        try super.init(name: "adamw", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                       amsgrad: amsgrad, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
                       globalClipnorm: globalClipnorm)
    }

    /// Keras's `AdamW.from_config` (weight decay 0.004 when absent).
    public required convenience init(config reader: KerasConfigReader) throws {
        let common = try reader.optimizerArguments(defaultLearningRate: 0.001)
        try self.init(learningRate: common.learningRate, weightDecay: common.weightDecay ?? 0.004, beta1: try reader.float("beta_1", default: 0.9),
                      beta2: try reader.float("beta_2", default: 0.999), epsilon: try reader.float("epsilon", default: 1e-7),
                      amsgrad: try reader.bool("amsgrad", default: false), clipnorm: common.clipnorm, clipvalue: common.clipvalue,
                      globalClipnorm: common.globalClipnorm)
    }
}
