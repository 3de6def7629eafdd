/// An output's values before its sigmoid/softmax, kept by a forward pass for the loss or for the
/// cross-entropy metrics (Keras's `_keras_logits`).
struct OutputLogits {
    /// The values before the activation.
    let values: Tensor
    /// The activation they come before: "sigmoid" or "softmax".
    let activation: String

    /// The same values cut from the gradient tape.
    var detached: OutputLogits { OutputLogits(values: values.detached, activation: activation) }

    /// Rows `rows` of the values (one evaluation batch of a chunk).
    func slice(rows: Range<Int>) throws -> OutputLogits {
        OutputLogits(values: try values.slice(rows: rows), activation: activation)
    }
}

extension Loss {
    /// The per-sample loss of an output `yPred`: from `logits` through this loss's logits form when this
    /// loss takes the logits of their activation (a cross-entropy after its sigmoid/softmax); logits kept
    /// only for a metric leave it on the output.
    func perSample(yTrue: Tensor, yPred: Tensor, logits: OutputLogits?) throws -> Tensor {
        if let logits, fusableActivation == logits.activation, let logitsLoss = logitsEquivalent {
            return try logitsLoss.perSample(yTrue: yTrue, yPred: logits.values)
        }
        return try perSample(yTrue: yTrue, yPred: yPred)
    }
}
