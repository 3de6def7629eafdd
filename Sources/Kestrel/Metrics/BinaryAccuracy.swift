/// How often `yPred > threshold` equals the 0/1 target, averaged over the last axis per sample, as
/// Keras 3's `BinaryAccuracy`.
public final class BinaryAccuracy: MeanMetricWrapper, @unchecked Sendable {
    /// Predictions above this count as 1.
    public let threshold: Float

    /// Makes the metric with Keras's default threshold of 0.5.
    public init(threshold: Float = 0.5, name: String = "binary_accuracy") {
        self.threshold = threshold
        super.init(name: name)
    }

    public override func perSampleValues(yTrue: Tensor, yPred: Tensor) throws -> [Float] {
        try MetricInputs.checkSameCount(yTrue, yPred, metric: name)
        let (batch, width) = try MetricInputs.layout(yPred, metric: name)
        let t = yTrue.buffer.pointer, p = yPred.buffer.pointer, threshold = self.threshold
        return (0..<batch).map { sample in
            var correct = 0
            for element in (sample * width)..<((sample + 1) * width)
            where t[element] == (p[element] > threshold ? 1 : 0) {
                correct += 1
            }
            return width == 0 ? 0 : Float(correct) / Float(width)
        }
    }
}
