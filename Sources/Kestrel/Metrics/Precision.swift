/// The fraction of positive predictions that are right, `TP / (TP + FP)`, as Keras 3's `Precision`:
/// a prediction above `threshold` is positive; every element counts (binary or multi-label);
/// sample weights apply to all elements of their sample.
public final class Precision: Metric, @unchecked Sendable {
    /// Predictions above this count as positive.
    public let threshold: Float
    private var counts = ThresholdCounts()

    /// Makes the metric with Keras's default threshold of 0.5.
    public init(threshold: Float = 0.5, name: String = "precision") {
        self.threshold = threshold
        super.init(name: name)
    }

    public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        var batch = counts
        try batch.add(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, threshold: threshold, metric: name)
        counts = batch
    }

    public override func result() -> Double { ThresholdCounts.ratio(counts.truePositives, counts.falsePositives) }

    public override func resetState() { counts = ThresholdCounts() }
}
