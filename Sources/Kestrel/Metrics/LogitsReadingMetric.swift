/// A metric that can read an output's values before its sigmoid/softmax, as Keras 3's cross-entropy metrics
/// read `_keras_logits` (see `LossMetric`).
protocol LogitsReadingMetric: Metric {
    /// Adds a batch: targets `yTrue`, the output `yPred`, and `logits`, the values before the output's
    /// `activation` ("sigmoid" or "softmax").
    func updateState(yTrue: Tensor, yPred: Tensor, logits: Tensor, activation: String, sampleWeight: Tensor?) throws
    /// Whether it reads the values before `activation` ("sigmoid" or "softmax"), so a forward pass should keep them.
    func readsLogits(after activation: String) -> Bool
}
