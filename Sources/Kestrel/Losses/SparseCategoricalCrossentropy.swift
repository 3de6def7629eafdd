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
    public init(fromLogits: Bool = false, name: String = "sparse_categorical_crossentropy") {
        self.fromLogits = fromLogits
        super.init(name: name)
    }

    /// "softmax" unless `fromLogits` (see `Loss.fusableActivation`).
    public override var fusableActivation: String? { fromLogits ? nil : "softmax" }

    /// This loss with `fromLogits: true`, for the pre-softmax values (nil when already from logits).
    public override var logitsEquivalent: Loss? { fromLogits ? nil : SparseCategoricalCrossentropy(fromLogits: true) }

    /// This loss on the logits of a softmax output, also when `fromLogits` is true (see `Loss.logitsForm(after:)`).
    public override func logitsForm(after activation: String) -> Loss? {
        activation == "softmax" ? SparseCategoricalCrossentropy(fromLogits: true) : nil
    }

    /// Keras's `get_config()`.
    public override var config: LayerConfig { super.config.merging(["from_logits": .bool(fromLogits), "ignore_class": .null]) { $1 } }

    /// Whether every setting is Keras's default.
    public override var hasDefaultSettings: Bool { !fromLogits }

    /// Checks that targets `yTrue` fit predictions of `yPredShape`; throws naming the loss and both shapes otherwise.
    public override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        let classes = try checkShapes(yTrue.shape, yPredShape)
        try checkLabels(yTrue, classes: classes)
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

    /// The loss of each sample (batch axis kept), differentiable with respect to `yPred`.
    public override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        let classes = try checkShapes(yTrue.shape, yPred.shape)
        try checkLabels(yTrue, classes: classes)
        return try yPred.perSampleLoss(.sparseCategoricalCrossentropy(fromLogits: fromLogits), targets: yTrue)
    }

    /// Throws, naming the loss, unless every label is a class index in `0..<classes`.
    private func checkLabels(_ yTrue: Tensor, classes: Int) throws {
        for (index, label) in yTrue.scalars.enumerated() where !(label >= 0 && label < Float(classes) && label.rounded() == label) {
            throw KestrelError.invalidData(
                "\(name): label \(label) at index \(index) is not a class index in 0..<\(classes) (the model predicts \(classes) classes). Labels must be integers from 0 to \(classes - 1).")
        }
    }
}

extension SparseCategoricalCrossentropy: KerasSerializable {
    /// Keras's `SparseCategoricalCrossentropy.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireAbsent(["ignore_class"])
        self.init(fromLogits: try reader.bool("from_logits", default: false))
    }
}
