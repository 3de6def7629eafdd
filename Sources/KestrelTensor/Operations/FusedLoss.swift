/// A loss the engine computes per sample together with its gradient in one fused pass
/// (`Tensor.perSampleLoss(_:targets:)`), with Keras 3's formulas.
///
/// Elementwise losses average over each sample's values; the crossentropies over each sample's
/// positions (rows of classes). Probabilities are clipped to [1e-7, 1 − 1e-7] as Keras's epsilon does.
public enum FusedLoss: Sendable, Equatable {
    /// `(p − t)²`, averaged over each sample's values.
    case meanSquaredError
    /// `|p − t|`, averaged over each sample's values.
    case meanAbsoluteError
    /// `½e²` where `|e| ≤ delta`, else `delta·|e| − ½delta²` (`e = p − t`), averaged per sample.
    case huber(delta: Float)
    /// `−(t·log p + (1 − t)·log(1 − p))` with `p` clipped, or from logits the stable
    /// `max(x, 0) − x·t + log(1 + e^{−|x|})`; targets smoothed to `t·(1 − s) + s/2` first.
    case binaryCrossentropy(fromLogits: Bool, labelSmoothing: Float)
    /// `−Σ t·log(clip(p/Σp))` over the classes of each row, or from logits `−Σ t·log softmax(x)`;
    /// targets (one-hot or soft, the predictions' shape) smoothed to `t·(1 − s) + s/C` first.
    case categoricalCrossentropy(fromLogits: Bool, labelSmoothing: Float)
    /// `log Σc − log c_y` with `c = clip(p)`, or from logits `logsumexp(x) − x_y`; targets hold one
    /// integer class index per row of predictions.
    case sparseCategoricalCrossentropy(fromLogits: Bool)
}

extension Tensor {
    /// Per-sample values (`[batch]`) of `loss` between these predictions (`[batch, …]`) and `targets`,
    /// differentiable with respect to the predictions: value and derivative come from one pass, and the
    /// backward pass only scales each sample's derivatives by the incoming gradient.
    ///
    /// Elementwise losses and `binaryCrossentropy` need as many targets as predictions; the
    /// categorical crossentropy needs targets of the predictions' shape (rank ≥ 2); the sparse one
    /// one class index per row of the last axis (`[batch]`, `[batch, 1]` or `[batch, …]`), each an
    /// integer in `0..<classes`. Throws `KestrelError` otherwise.
    public func perSampleLoss(_ loss: FusedLoss, targets: Tensor) throws -> Tensor {
        guard let batch = shape.first else {
            throw KestrelError.shapeMismatch("\(loss): predictions must have a batch dimension, got a scalar.")
        }
        let backend = try Tensor.backend(of: [self, targets], operation: "\(loss)")
        let width = batch == 0 ? 0 : count / batch
        let layout: LossLayout
        switch loss {
        case .meanSquaredError, .meanAbsoluteError, .huber, .binaryCrossentropy:
            guard targets.count == count else {
                throw KestrelError.shapeMismatch(
                    "\(loss): targets of shape \(targets.shape) do not match predictions of shape \(shape); they must have the same number of values.")
            }
            layout = LossLayout(batch: batch, positions: 1, classes: width)
        case .categoricalCrossentropy:
            guard rank >= 2, targets.shape == shape else {
                throw KestrelError.shapeMismatch(
                    "\(loss): targets of shape \(targets.shape) must have the predictions' shape \(shape) [batch, …, classes].")
            }
            let classes = shape[rank - 1]
            layout = LossLayout(batch: batch, positions: classes == 0 ? 0 : width / classes, classes: classes)
        case .sparseCategoricalCrossentropy:
            let classes = rank >= 2 ? shape[rank - 1] : 0
            let positions = classes == 0 ? 0 : width / classes
            guard rank >= 2, targets.count == batch * positions else {
                throw KestrelError.shapeMismatch(
                    "\(loss): labels of shape \(targets.shape) do not fit predictions of shape \(shape); expected one class index per row, shape \(Array(shape.dropLast())).")
            }
            try Tensor.checkClassIndices(targets, classes: classes, loss: loss)
            layout = LossLayout(batch: batch, positions: positions, classes: classes)
        }
        if case .huber(let delta) = loss, !(delta.isFinite && delta >= 0) {
            throw KestrelError.invalidArgument("huber: delta must be a finite number ≥ 0, got \(delta).")
        }
        let values = backend.makeStorage(count: batch)
        let derivative = requiresGradient ? backend.makeStorage(count: count) : nil
        backend.loss(loss, targets: targets.storage, predictions: storage, layout: layout, values: values,
                     derivative: derivative)
        let output = Tensor(shape: [batch], storage: values)
        guard let derivative else { return output }
        let predictionShape = shape
        let derivatives = Tensor(shape: predictionShape, storage: derivative)
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            let perSample = try gradient.reshaped([batch] + [Int](repeating: 1, count: predictionShape.count - 1))
            return [try Tensor.elementwise(.multiply, derivatives, perSample, outputShape: predictionShape)]
        }
    }

    /// Throws unless every value of `labels` is an integer in `0..<classes` (the message names `loss`;
    /// it is only built when throwing: describing an enum value costs microseconds per call).
    static func checkClassIndices(_ labels: Tensor, classes: Int, loss: FusedLoss) throws {
        guard let index = labels.backend.firstInvalidClassIndex(labels.storage, classes: classes) else { return }
        let label = labels.scalars[index]
        throw KestrelError.invalidData(
            "\(loss): label \(label) at index \(index) is not a class index in 0..<\(classes) (the model predicts \(classes) classes). Labels must be integers from 0 to \(classes - 1).")
    }
}
