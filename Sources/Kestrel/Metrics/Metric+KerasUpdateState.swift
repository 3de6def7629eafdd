extension Metric {
    /// Keras's positional `metric.update_state(y_true, y_pred, sample_weight=None)`, as a custom
    /// `trainStep` writes it (`metric.updateState(y, yPred)`); the same as `updateState(yTrue:yPred:sampleWeight:)`.
    public func updateState(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor? = nil) throws {
        try updateState(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    }
}
