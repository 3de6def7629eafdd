/// Weighted confusion counts at one threshold (`prediction > threshold` is positive; a nonzero target is
/// positive), summed over every element of the batch as Keras 3's confusion metrics do. A sample's
/// weight applies to all of its elements.
struct ThresholdCounts {
    var truePositives: Double = 0
    var falsePositives: Double = 0
    var falseNegatives: Double = 0
    var trueNegatives: Double = 0

    mutating func add(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?, threshold: Float, metric: String) throws {
        try MetricInputs.forEachWeightedValue(yTrue, yPred, sampleWeight: sampleWeight, metric: metric) { target, prediction, weight in
            switch (target != 0, prediction > threshold) {
            case (true, true): truePositives += weight
            case (false, true): falsePositives += weight
            case (true, false): falseNegatives += weight
            case (false, false): trueNegatives += weight
            }
        }
    }

    /// `a / (a + b)`, or 0 when the denominator is 0 (Keras's `divide_no_nan`).
    static func ratio(_ a: Double, _ b: Double) -> Double { a + b == 0 ? 0 : a / (a + b) }
}
