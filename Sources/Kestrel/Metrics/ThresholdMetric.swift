/// The base of `Precision` and `Recall`: accumulates true/false positives and negatives of
/// predictions thresholded at `threshold` (every element counts; sample weights apply to all
/// elements of their sample). Subclasses choose the ratio in `result()`.
public class ThresholdMetric: Metric, @unchecked Sendable {
    /// Higher is better, as Keras's `ThresholdMetric` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    /// Predictions above this count as positive.
    public let threshold: Float
    /// The counts so far.
    var counts = ThresholdCounts()

    init(threshold: Float, name: String) {
        self.threshold = threshold
        super.init(name: name)
    }

    /// Adds a batch's targets and predictions (weighted by `sampleWeight`) to the running state.
    public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        var batch = counts
        try batch.add(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, threshold: threshold, metric: name)
        counts = batch
    }

    /// Forgets the running state (done at the start of each epoch).
    public override func resetState() { counts = ThresholdCounts() }

    /// The four weighted confusion counts.
    public override var stateValues: [Double] {
        [counts.truePositives, counts.falsePositives, counts.falseNegatives, counts.trueNegatives]
    }

    /// Restores the four confusion counts.
    public override func restoreStateValues(_ values: [Double]) throws {
        try Metric.checkStateCount(values, expected: 4, metric: name)
        counts = ThresholdCounts(truePositives: values[0], falsePositives: values[1], falseNegatives: values[2], trueNegatives: values[3])
    }
}
