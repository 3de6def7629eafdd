#if canImport(Glibc)
import Glibc
#endif

/// Area under the ROC curve, as Keras 3's `AUC` with its defaults (ROC curve, "interpolation"
/// summation, evenly spaced thresholds `-ε, 1/(n−1), …, (n−2)/(n−1), 1+ε`).
///
/// Predictions are clipped to [0, 1] and counted into `numThresholds` buckets (Keras's optimised
/// path: bucket `max(⌈p·(n−1)⌉ − 1, 0)`), so true/false positives at each threshold are reverse
/// cumulative sums. The result is the trapezoidal sum over the thresholds' (FPR, TPR) points. All
/// elements count (not multi-label); sample weights apply to all elements of their sample.
public final class AUC: Metric, @unchecked Sendable {
    /// Higher is better, as Keras's `AUC` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    /// The number of thresholds (Keras's default 200).
    public let numThresholds: Int
    private var positiveBuckets: [Double]
    private var negativeBuckets: [Double]

    /// The most thresholds accepted (two buckets of this many Doubles are kept).
    public static let maximumThresholds = 10_000_000

    /// Makes the metric with Keras's defaults. `numThresholds` must be in 2...`maximumThresholds`.
    public convenience init(numThresholds: Int = 200, name: String = "auc") throws {
        guard numThresholds > 1, numThresholds <= AUC.maximumThresholds else {
            throw KestrelError.invalidArgument(
                "AUC: numThresholds must be in 2...\(AUC.maximumThresholds), got \(numThresholds).")
        }
        self.init(validNumThresholds: numThresholds, name: name)
    }

    /// Makes the metric for a `numThresholds` already known to be valid.
    init(validNumThresholds numThresholds: Int, name: String) {
        self.numThresholds = numThresholds
        positiveBuckets = Array(repeating: 0, count: numThresholds)
        negativeBuckets = Array(repeating: 0, count: numThresholds)
        super.init(name: name)
    }

    /// Adds a batch's targets and predictions (weighted by `sampleWeight`) to the running state.
    public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        let scale = Float(numThresholds - 1), buckets = numThresholds
        try MetricInputs.forEachWeightedValue(yTrue, yPred, sampleWeight: sampleWeight, metric: name) { target, prediction, weight in
            // A NaN prediction (a diverged model) is above no threshold, as in Keras (`y_pred > t` is false).
            let clipped = prediction.isNaN ? 0 : Swift.min(Swift.max(prediction, 0), 1)
            let bucket = Swift.min(Swift.max(Int(ceilf(clipped * scale) - 1), 0), buckets - 1)
            if target != 0 { positiveBuckets[bucket] += weight } else { negativeBuckets[bucket] += weight }
        }
    }

    /// The metric over everything seen since the last reset.
    public override func result() -> Double {
        let positives = positiveBuckets.reduce(0, +), negatives = negativeBuckets.reduce(0, +)
        // Walk thresholds from the highest down, accumulating TP/FP; trapezoids between neighbours.
        var truePositives: Double = 0, falsePositives: Double = 0
        var previousTPR = 0.0, previousFPR = 0.0
        var area: Double = 0
        for index in stride(from: numThresholds - 1, through: 0, by: -1) {
            truePositives += positiveBuckets[index]
            falsePositives += negativeBuckets[index]
            let tpr = positives == 0 ? 0 : truePositives / positives
            let fpr = negatives == 0 ? 0 : falsePositives / negatives
            if index < numThresholds - 1 { area += (fpr - previousFPR) * (tpr + previousTPR) / 2 }
            previousTPR = tpr
            previousFPR = fpr
        }
        return area
    }

    /// The per-threshold positive and negative weights.
    public override var stateValues: [Double] { positiveBuckets + negativeBuckets }

    /// Restores the per-threshold weights.
    public override func restoreStateValues(_ values: [Double]) throws {
        try Metric.checkStateCount(values, expected: positiveBuckets.count + negativeBuckets.count, metric: name)
        positiveBuckets = Array(values[..<positiveBuckets.count])
        negativeBuckets = Array(values[positiveBuckets.count...])
    }

    /// Forgets the running state (done at the start of each epoch).
    public override func resetState() {
        positiveBuckets = Array(repeating: 0, count: numThresholds)
        negativeBuckets = Array(repeating: 0, count: numThresholds)
    }
}
