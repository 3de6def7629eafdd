/// The fraction of actual positives that are predicted positive, `TP / (TP + FN)`, as Keras 3's
/// `Recall`: a prediction above `threshold` is positive; every element counts (binary or multi-label);
/// sample weights apply to all elements of their sample.
public final class Recall: ThresholdMetric, @unchecked Sendable {
    /// Makes the metric with Keras's default threshold of 0.5.
    public override init(threshold: Float = 0.5, name: String = "recall") {
        super.init(threshold: threshold, name: name)
    }

    /// The metric over everything seen since the last reset.
    public override func result() -> Double { ThresholdCounts.ratio(counts.truePositives, counts.falseNegatives) }
}
