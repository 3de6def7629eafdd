#if canImport(Glibc)
import Glibc
#endif

/// Crossentropy between integer class labels and predicted class probabilities (or logits), as Keras 3's
/// `SparseCategoricalCrossentropy`.
///
/// Labels are Float tensors holding class indices, shaped [N] or [N, 1]; predictions are [N, C]. Without
/// `fromLogits` the probabilities are clipped to [1e-7, 1 − 1e-7] and renormalised, so the loss is
/// `log Σₖ cₖ − log c_y` with `c = clip(p)`; with `fromLogits` it is `logsumexp(x) − x_y`. Value and
/// gradient are computed in one fused pass.
public final class SparseCategoricalCrossentropy: Loss, @unchecked Sendable {
    /// Whether predictions are logits rather than probabilities.
    public let fromLogits: Bool

    /// Makes the loss; `fromLogits: true` when the model's last layer has no softmax.
    public init(fromLogits: Bool = false) {
        self.fromLogits = fromLogits
        super.init(name: "sparse_categorical_crossentropy")
    }

    /// "softmax" unless `fromLogits` (see `Loss.fusableActivation`).
    public override var fusableActivation: String? { fromLogits ? nil : "softmax" }

    /// This loss with `fromLogits: true`, for the pre-softmax values (nil when already from logits).
    public override var logitsEquivalent: Loss? { fromLogits ? nil : SparseCategoricalCrossentropy(fromLogits: true) }

    public override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        let classes = try checkShapes(yTrue.shape, yPredShape)
        try yTrue.withUnsafeBufferPointer { labels in
            for (index, label) in labels.enumerated() where !(label >= 0 && label < Float(classes) && label.rounded() == label) {
                throw KestrelError.invalidData(
                    "\(name): label \(label) at index \(index) is not a class index in 0..<\(classes) (the model predicts \(classes) classes). Labels must be integers from 0 to \(classes - 1).")
            }
        }
    }

    /// Checks label and prediction shapes; returns the number of classes.
    private func checkShapes(_ yTrue: [Int], _ yPred: [Int]) throws -> Int {
        guard yPred.count >= 2, let classes = yPred.last else {
            throw KestrelError.shapeMismatch(
                "\(name): predictions must be [batch, classes], got shape \(yPred); use binaryCrossentropy for a single sigmoid output.")
        }
        let positions = Array(yPred.dropLast())
        if yTrue == positions || yTrue == positions + [1] { return classes }
        if yTrue == yPred && classes > 1 {
            throw KestrelError.invalidData(
                "\(name): labels of shape \(yTrue) look one-hot (they match the predictions' shape \(yPred)). Sparse categorical crossentropy needs integer class indices of shape \(positions); for one-hot labels use categoricalCrossentropy.")
        }
        throw KestrelError.shapeMismatch(
            "\(name): labels of shape \(yTrue) do not fit predictions of shape \(yPred); expected class indices of shape \(positions) or \(positions + [1]).")
    }

    public override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        let classes = try checkShapes(yTrue.shape, yPred.shape)
        let (batch, width) = try FusedLossKernel.layout(yPred, loss: name)
        let positions = classes == 0 ? 0 : width / classes  // rows per sample (1 for [N, C])
        let values = TensorBuffer(count: batch)
        let derivative = yPred.requiresGradient ? TensorBuffer(count: yPred.count) : nil
        let labels = yTrue.buffer.pointer, p = yPred.buffer.pointer, out = values.pointer
        let d = derivative?.pointer
        let lower: Float = 1e-7, upper: Float = 1 - 1e-7
        let rowScale = positions == 0 ? 0 : 1 / Float(positions)
        for sample in 0..<batch {
            var sampleTotal: Float = 0
            for position in 0..<positions {
                let row = sample * positions + position
                let labelValue = labels[row]
                guard labelValue >= 0, labelValue < Float(classes), labelValue.rounded() == labelValue else {
                    throw KestrelError.invalidData(
                        "\(name): label \(labelValue) at index \(row) is not a class index in 0..<\(classes) (the model predicts \(classes) classes).")
                }
                let label = Int(labelValue)
                let x = p + row * classes
                if fromLogits {
                    var largest = -Float.infinity
                    for k in 0..<classes { largest = Swift.max(largest, x[k]) }
                    var total: Float = 0
                    if let d {
                        let g = d + row * classes
                        for k in 0..<classes { let e = expf(x[k] - largest); g[k] = e; total += e }
                        let scale = rowScale / total
                        for k in 0..<classes { g[k] *= scale }
                        g[label] -= rowScale
                    } else {
                        for k in 0..<classes { total += expf(x[k] - largest) }
                    }
                    sampleTotal += logf(total) + largest - x[label]
                } else {
                    var total: Float = 0
                    for k in 0..<classes { total += Swift.min(Swift.max(x[k], lower), upper) }
                    let clippedLabel = Swift.min(Swift.max(x[label], lower), upper)
                    sampleTotal += logf(total) - logf(clippedLabel)
                    if let d {
                        // d/dp_k = [p_k unclipped] · (1/Σc − δ_ky / c_y)
                        let g = d + row * classes
                        let inverseTotal = rowScale / total
                        for k in 0..<classes {
                            let inside = x[k] >= lower && x[k] <= upper
                            g[k] = inside ? inverseTotal : 0
                        }
                        if x[label] >= lower && x[label] <= upper { g[label] -= rowScale / clippedLabel }
                    }
                }
            }
            out[sample] = sampleTotal * rowScale
        }
        return FusedLossKernel.result(values: values, batch: batch, derivative: derivative, yPred: yPred)
    }
}
