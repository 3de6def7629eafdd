/// The weighted mean of values, as Keras 3's `Mean`: `Σ wᵢvᵢ / Σ wᵢ` over everything since the last
/// reset. The trainer uses it for the running loss, weighting each batch's mean loss by its size.
public final class Mean: Metric, @unchecked Sendable {
    private var total: Double = 0
    private var count: Double = 0

    /// Makes a mean logged under `name` (Keras's default "mean").
    public override init(name: String = "mean") { super.init(name: name) }

    /// Adds one value with a weight (e.g. a batch's mean loss weighted by the batch size).
    public func update(value: Double, weight: Double = 1) {
        total += value * weight
        count += weight
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
        for (index, value) in values.scalars.enumerated() {
            let weight = Double(weights?[index] ?? 1)
            total += Double(value) * weight
            count += weight
        }
    }

    /// Keras's `Mean.update_state(values, sample_weight)`: `yPred` holds the values, `yTrue` is ignored.
    public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        try update(values: yPred, sampleWeight: sampleWeight)
    }

    /// The metric over everything seen since the last reset.
    public override func result() -> Double { count == 0 ? 0 : total / count }

    /// The running total and count.
    public override var stateValues: [Double] { [total, count] }

    /// Restores the running total and count.
    public override func restoreStateValues(_ values: [Double]) throws {
        try Metric.checkStateCount(values, expected: 2, metric: name)
        total = values[0]
        count = values[1]
    }

    /// Forgets the running state (done at the start of each epoch).
    public override func resetState() {
        total = 0
        count = 0
    }
}
