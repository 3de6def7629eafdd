/// A metric that computes one value per sample and reports their weighted mean over all batches, like
/// Keras 3's `MeanMetricWrapper` (accuracies, mse, mae): a `Mean` of the per-sample values.
/// Subclasses override `perSampleValues`.
open class MeanMetricWrapper: Mean, @unchecked Sendable {
    /// One value per sample of the batch (e.g. 1 for a correct prediction, 0 otherwise).
    open func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        throw KestrelError.invalidState("\(name): perSampleValues(yTrue:yPred:) is not implemented.")
    }

    /// Adds one batch: `total += Σ wᵢvᵢ`, `count += Σ wᵢ` (weights default to 1).
    open override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        try accumulate(try perSampleValues(yTrue: yTrue, yPred: yPred), sampleWeight: sampleWeight)
    }

    /// Throws, as Keras's `update_state(y_true, y_pred)` does for one argument: a wrapped metric needs targets and
    /// predictions (only a plain `Mean` takes `updateState(values)`).
    open override func updateState(_ values: Tensor, sampleWeight: Tensor? = nil) throws {
        throw KestrelError.invalidArgument(
            "Metric '\(name)' (\(type(of: self))) takes targets and predictions: call updateState(yTrue, yPred); only a Mean takes updateState(values).")
    }

    /// Adds one batch's per-sample `values`, weighted by `sampleWeight` (one weight per value, or none).
    func accumulate(_ values: [Float], sampleWeight: Tensor?) throws {
        add(values, weights: try MetricInputs.sampleWeights(sampleWeight, batch: values.count, metric: name))
    }
}
