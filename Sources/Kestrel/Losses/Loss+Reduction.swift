/// The batch-level loss: per-sample values reduced as Keras 3 does, and Keras's call syntax.
extension Loss {
    /// The batch loss as Keras 3's default `sum_over_batch_size` reduction computes it:
    /// `Σᵢ wᵢ·lossᵢ / N` (divided by the batch size N, not by the sum of weights). `sampleWeight` is [N]
    /// (or [N, 1]); nil means all ones. Differentiable with respect to `yPred`.
    public func reduced(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) throws -> Tensor {
        let values = try perSample(yTrue: yTrue, yPred: yPred)
        guard let sampleWeight else { return try values.mean() }
        guard sampleWeight.count == values.count else {
            throw KestrelError.shapeMismatch(
                "\(name): sampleWeight of shape \(sampleWeight.shape) does not match the batch of \(values.count) samples.")
        }
        let weights = try sampleWeight.reshaped(values.shape)
        return try (values * weights).mean()
    }

    /// Keras's `loss(y_true, y_pred, sample_weight=…)`: the same as `reduced(yTrue:yPred:sampleWeight:)`.
    public func callAsFunction(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor? = nil) throws -> Tensor {
        try reduced(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    }
}
