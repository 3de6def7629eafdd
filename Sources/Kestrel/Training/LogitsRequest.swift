/// Which of an output's pre-activation values a forward pass keeps (internal): the values before its
/// sigmoid/softmax when the output's loss takes them (fused: the loss reads the logits, the output
/// needs no gradient), or when only a compiled metric reads them, as Keras 3's cross-entropy metrics
/// read `_keras_logits` whatever the loss (the output then keeps its gradient for the loss).
struct LogitsRequest {
    /// The activation whose logits the output's loss takes instead of the output (`Loss.fusableActivation`), or nil.
    var lossActivation: String?
    /// The activations whose logits a compiled metric of this output reads.
    var metricActivations: Set<String> = []

    /// No logits wanted: the plain forward pass.
    static let none = LogitsRequest(lossActivation: nil)

    /// Whether a layer ending in `activation` should stop before it.
    func wants(_ activation: String) -> Bool {
        activation == lossActivation || metricActivations.contains(activation)
    }

    /// Whether the loss itself takes the logits before `activation` (so the output is only for metrics).
    func fuses(_ activation: String) -> Bool { activation == lossActivation }

    /// The activations to try, the loss's first.
    var candidates: [String] { (lossActivation.map { [$0] } ?? []) + metricActivations.sorted().filter { $0 != lossActivation } }
}
