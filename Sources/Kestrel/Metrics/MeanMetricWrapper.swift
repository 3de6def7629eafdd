/// A metric that computes one value per sample and reports their weighted mean over all batches, like
/// Keras 3's `MeanMetricWrapper` (accuracies, mse, mae). Subclasses override `perSampleValues`.
open class MeanMetricWrapper: Metric, @unchecked Sendable {
    private var total: Double = 0
    private var count: Double = 0

    /// One value per sample of the batch (e.g. 1 for a correct prediction, 0 otherwise).
    open func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        throw KestrelError.invalidState("\(name): perSampleValues(yTrue:yPred:) is not implemented.")
    }

    /// Adds one batch: `total += Σ wᵢvᵢ`, `count += Σ wᵢ` (weights default to 1).
    open override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        try accumulate(try perSampleValues(yTrue: yTrue, yPred: yPred), sampleWeight: sampleWeight)
    }

    /// Adds one batch's per-sample `values`, weighted by `sampleWeight` (one weight per value, or none).
    func accumulate(_ values: [Float], sampleWeight: Tensor?) throws {
        let weights = try MetricInputs.sampleWeights(sampleWeight, batch: values.count, metric: name)
        var batchTotal: Double = 0, batchCount: Double = 0
        for (index, value) in values.enumerated() {
            let weight = Double(weights?[index] ?? 1)
            batchTotal += Double(value) * weight
            batchCount += weight
        }
        total += batchTotal
        count += batchCount
    }

    /// The metric over everything seen since the last reset.
    open override func result() -> Double { count == 0 ? 0 : total / count }

    /// The running total and count.
    open override var stateValues: [Double] { [total, count] }

    /// Restores the running total and count.
    open override func restoreStateValues(_ values: [Double]) throws {
        try Metric.checkStateCount(values, expected: 2, metric: name)
        total = values[0]
        count = values[1]
    }

    /// Forgets the running state (done at the start of each epoch).
    open override func resetState() {
        total = 0
        count = 0
    }
}
