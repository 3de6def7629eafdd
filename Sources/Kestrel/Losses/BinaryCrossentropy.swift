#if canImport(Glibc)
import Glibc
#endif

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
    public init(fromLogits: Bool = false, labelSmoothing: Float = 0) {
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        super.init(name: "binary_crossentropy")
    }

    /// "sigmoid" unless `fromLogits` (see `Loss.fusableActivation`).
    public override var fusableActivation: String? { fromLogits ? nil : "sigmoid" }

    /// This loss with `fromLogits: true`, for the pre-sigmoid values (nil when already from logits).
    public override var logitsEquivalent: Loss? { fromLogits ? nil : BinaryCrossentropy(fromLogits: true, labelSmoothing: labelSmoothing) }

    public override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        guard labelSmoothing >= 0, labelSmoothing <= 1 else {
            throw KestrelError.invalidArgument("\(name): labelSmoothing must be in [0, 1], got \(labelSmoothing).")
        }
        try FusedLossKernel.checkSameShape(yTrue.shape, yPredShape, loss: name)
    }

    public override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        let keep = 1 - labelSmoothing, half = 0.5 * labelSmoothing
        if fromLogits {
            return try FusedLossKernel.elementwise(yTrue: yTrue, yPred: yPred, loss: name) { target, x in
                let t = target * keep + half
                let value = Swift.max(x, 0) - x * t + log1pf(expf(-Swift.abs(x)))
                return (value, 1 / (1 + expf(-x)) - t)
            }
        }
        let lower: Float = 1e-7, upper: Float = 1 - 1e-7
        return try FusedLossKernel.elementwise(yTrue: yTrue, yPred: yPred, loss: name) { target, prediction in
            let t = target * keep + half
            let p = Swift.min(Swift.max(prediction, lower), upper)
            let value = -(t * logf(p) + (1 - t) * logf(1 - p))
            let inside = prediction >= lower && prediction <= upper
            return (value, inside ? (1 - t) / (1 - p) - t / p : 0)
        }
    }
}
