/// Crossentropy between binary targets and predicted probabilities (or logits), as Keras 3's
/// `BinaryCrossentropy`, averaged over the last axis per sample.
///
/// Targets are first smoothed, `t·(1 − s) + s/2`. Without `fromLogits` predictions are clipped to
/// [1e-7, 1 − 1e-7]: `−(t·log p + (1 − t)·log(1 − p))`; with `fromLogits` the stable form
/// `max(x, 0) − x·t + log(1 + e^{−|x|})`. Value and gradient are computed in one fused pass.
public final class BinaryCrossentropy: Loss, @unchecked Sendable {
    /// Whether predictions are logits rather than probabilities.
    public let fromLogits: Bool
    /// Label smoothing in [0, 1]: targets become `t·(1 − s) + s/2`.
    public let labelSmoothing: Float

    /// Makes the loss; `fromLogits: true` when the model's last layer has no sigmoid.
    public init(fromLogits: Bool = false, labelSmoothing: Float = 0, name: String = "binary_crossentropy") {
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        super.init(name: name)
    }

    /// "sigmoid" unless `fromLogits` (see `Loss.fusableActivation`).
    public override var fusableActivation: String? { fromLogits ? nil : "sigmoid" }

    /// This loss with `fromLogits: true`, for the pre-sigmoid values (nil when already from logits).
    public override var logitsEquivalent: Loss? { fromLogits ? nil : BinaryCrossentropy(fromLogits: true, labelSmoothing: labelSmoothing) }

    /// This loss on the logits of a sigmoid output, also when `fromLogits` is true (see `Loss.logitsForm(after:)`).
    public override func logitsForm(after activation: String) -> Loss? {
        activation == "sigmoid" ? BinaryCrossentropy(fromLogits: true, labelSmoothing: labelSmoothing) : nil
    }

    /// Keras's `get_config()`.
    public override var config: LayerConfig {
        super.config.merging(["from_logits": .bool(fromLogits), "label_smoothing": KerasObjects.number(labelSmoothing), "axis": .int(-1)]) { $1 }
    }

    /// Whether every setting is Keras's default.
    public override var hasDefaultSettings: Bool { !fromLogits && labelSmoothing == 0 }

    /// Checks that targets `yTrue` fit predictions of `yPredShape`; throws naming the loss and both shapes otherwise.
    public override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        guard labelSmoothing >= 0, labelSmoothing <= 1 else {
            throw KestrelError.invalidArgument("\(name): labelSmoothing must be in [0, 1], got \(labelSmoothing).")
        }
        try FusedLossKernel.checkSameShape(yTrue.shape, yPredShape, loss: name)
    }

    /// The loss of each sample (batch axis kept), differentiable with respect to `yPred`.
    public override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        try FusedLossKernel.checkSameShape(yTrue.shape, yPred.shape, loss: name)
        _ = try FusedLossKernel.layout(yPred, loss: name)
        return try yPred.perSampleLoss(.binaryCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing),
                                       targets: yTrue)
    }
}

extension BinaryCrossentropy: KerasSerializable {
    /// Keras's `BinaryCrossentropy.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(fromLogits: try reader.bool("from_logits", default: false), labelSmoothing: try reader.float("label_smoothing", default: 0))
    }
}
