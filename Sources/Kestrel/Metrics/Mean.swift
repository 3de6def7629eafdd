/// The weighted mean of values, as Keras 3's `Mean`: `Σ wᵢvᵢ / Σ wᵢ` over everything since the last
/// reset. The trainer uses it for the running loss, weighting each batch's mean loss by its size;
/// `MeanMetricWrapper` builds on it, as in Keras.
open class Mean: Metric, @unchecked Sendable {
    private var total: Double = 0
    private var count: Double = 0

    /// Makes a mean logged under `name` (Keras's default "mean").
    public override init(name: String = "mean") { super.init(name: name) }

    /// Adds one value with a weight (e.g. a batch's mean loss weighted by the batch size).
    public func update(value: Double, weight: Double = 1) {
        total += value * weight
        count += weight
    }

    /// Keras's `mean.update_state(values)` in a custom step (`lossTracker.updateState(loss)`): adds every
    /// value of `values`, a scalar loss as one value, as `update(values:sampleWeight:)` does.
    open override func updateState(_ values: Tensor, sampleWeight: Tensor? = nil) throws {
        try update(values: values, sampleWeight: sampleWeight)
    }

    /// Adds every value of `values`, each with its weight from `sampleWeight` (one per value, or one per
    /// sample of the first dimension; nil means 1).
    public func update(values: Tensor, sampleWeight: Tensor? = nil) throws {
        let samples = values.shape.first ?? 1
        let perSample = samples == 0 ? 0 : values.count / samples
        let weights: [Float]?
        if let sampleWeight, sampleWeight.count == values.count {
            weights = sampleWeight.scalars
        } else {
            weights = try MetricInputs.sampleWeights(sampleWeight, batch: samples, metric: name)
                .map { sampleWeights in sampleWeights.flatMap { Array(repeating: $0, count: perSample) } }
        }
        add(values.scalars, weights: weights)
    }

    /// Adds `values`, each with its weight from `weights` (nil means 1): the batch's sums first, then
    /// the running total and count, as Keras's `Mean.update_state`.
    func add(_ values: [Float], weights: [Float]?) {
        var batchTotal: Double = 0, batchCount: Double = 0
        for (index, value) in values.enumerated() {
            let weight = Double(weights?[index] ?? 1)
            batchTotal += Double(value) * weight
            batchCount += weight
        }
        total += batchTotal
        count += batchCount
    }

    /// Keras's `Mean.update_state(values, sample_weight)`: `yPred` holds the values, `yTrue` is ignored.
    open override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        try update(values: yPred, sampleWeight: sampleWeight)
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
