/// Crossentropy between one-hot (or soft) targets and predicted class probabilities (or logits), as
/// Keras 3's `CategoricalCrossentropy`.
///
/// Targets and predictions are both [N, C]. Targets are first smoothed, `t·(1 − s) + s/C`. Without
/// `fromLogits` the predictions are renormalised to sum to 1 and clipped to [1e-7, 1 − 1e-7] before the
/// log: `−Σ t·log(clip(p/Σp))`; with `fromLogits`, `−Σ t·log softmax(x)`. Value and gradient are
/// computed in one fused pass.
public final class CategoricalCrossentropy: Loss, @unchecked Sendable {
    /// Whether predictions are logits rather than probabilities.
    public let fromLogits: Bool
    /// Label smoothing in [0, 1]: targets become `t·(1 − s) + s/C`.
    public let labelSmoothing: Float

    /// Makes the loss; `fromLogits: true` when the model's last layer has no softmax.
    public init(fromLogits: Bool = false, labelSmoothing: Float = 0, name: String = "categorical_crossentropy") {
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        super.init(name: name)
    }

    /// "softmax" unless `fromLogits` (see `Loss.fusableActivation`).
    public override var fusableActivation: String? { fromLogits ? nil : "softmax" }

    /// This loss with `fromLogits: true`, for the pre-softmax values (nil when already from logits).
    public override var logitsEquivalent: Loss? { fromLogits ? nil : CategoricalCrossentropy(fromLogits: true, labelSmoothing: labelSmoothing) }

    /// This loss on the logits of a softmax output, also when `fromLogits` is true (see `Loss.logitsForm(after:)`).
    public override func logitsForm(after activation: String) -> Loss? {
        activation == "softmax" ? CategoricalCrossentropy(fromLogits: true, labelSmoothing: labelSmoothing) : nil
    }

    /// Keras's `get_config()`.
    public override var config: LayerConfig {
        super.config.merging(["from_logits": .bool(fromLogits), "label_smoothing": KerasObjects.number(labelSmoothing), "axis": .int(-1)]) { $1 }
    }

    /// Whether every setting is Keras's default.
    public override var hasDefaultSettings: Bool { !fromLogits && labelSmoothing == 0 }

    /// Checks that targets `yTrue` fit predictions of `yPredShape`; throws naming the loss and both shapes otherwise.
    public override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        try checkShapes(yTrue.shape, yPredShape)
    }

    private func checkShapes(_ yTrue: [Int], _ yPred: [Int]) throws {
        guard yPred.count >= 2 else {
            throw KestrelError.shapeMismatch(
                "\(name): predictions must be [batch, classes], got shape \(yPred); use binaryCrossentropy for a single sigmoid output.")
        }
        guard labelSmoothing >= 0, labelSmoothing <= 1 else {
            throw KestrelError.invalidArgument("\(name): labelSmoothing must be in [0, 1], got \(labelSmoothing).")
        }
        guard yTrue != yPred else { return }
        let positions = Array(yPred.dropLast())
        if (yTrue == positions || yTrue == positions + [1]) && (yPred.last ?? 0) > 1 {
            throw KestrelError.shapeMismatch(
                "\(name): labels of shape \(yTrue) look like class indices but predictions are \(yPred). Categorical crossentropy needs one-hot labels of shape \(yPred); for integer labels use sparseCategoricalCrossentropy.")
        }
        throw KestrelError.shapeMismatch(
            "\(name): labels of shape \(yTrue) do not match predictions of shape \(yPred); they must have the same shape [batch, classes].")
    }

    /// The loss of each sample (batch axis kept), differentiable with respect to `yPred`.
    public override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        try checkShapes(yTrue.shape, yPred.shape)
        return try yPred.perSampleLoss(.categoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing),
                                       targets: yTrue)
    }
}

extension CategoricalCrossentropy: KerasSerializable {
    /// Keras's `CategoricalCrossentropy.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(fromLogits: try reader.bool("from_logits", default: false), labelSmoothing: try reader.float("label_smoothing", default: 0))
    }
}
