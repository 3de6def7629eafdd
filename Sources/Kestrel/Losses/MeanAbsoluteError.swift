/// Mean of absolute errors `|t − p|` over the last axis per sample, as Keras 3's `MeanAbsoluteError` loss
/// (the metric is `MeanAbsoluteErrorMetric`). The gradient at zero error is 0.
public final class MeanAbsoluteError: Loss, @unchecked Sendable {
    /// Makes the loss; `name` is what Keras calls it ("mean_absolute_error", or "mae" when given as that string).
    public override init(name: String = "mean_absolute_error") { super.init(name: name) }

    /// Checks that targets `yTrue` fit predictions of `yPredShape`; throws naming the loss and both shapes otherwise.
    public override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        try FusedLossKernel.checkSameShape(yTrue.shape, yPredShape, loss: name)
    }

    /// The loss of each sample (batch axis kept), differentiable with respect to `yPred`.
    public override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        try FusedLossKernel.checkSameShape(yTrue.shape, yPred.shape, loss: name)
        _ = try FusedLossKernel.layout(yPred, loss: name)
        return try yPred.perSampleLoss(.meanAbsoluteError, targets: yTrue)
    }
}

extension MeanAbsoluteError: KerasSerializable {
    /// Keras's `MeanAbsoluteError.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init()
    }
}
