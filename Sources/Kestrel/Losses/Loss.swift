/// The base of every loss: computes one loss value per sample from true and predicted values.
///
/// The model averages these values (weighted by sample weights) over the batch, as Keras's default
/// `sum_over_batch_size` reduction does. Subclasses override `perSample(yTrue:yPred:)`, which must be
/// differentiable with respect to `yPred`.
open class Loss: @unchecked Sendable {
    /// Keras's name ("sparse_categorical_crossentropy", "mse"…), used in logs and errors.
    public let name: String

    /// Makes a loss called `name`.
    public init(name: String) { self.name = name }

    /// Keras's `get_config()` of a loss: its name and reduction (a subclass adds its own settings).
    open var config: LayerConfig { ["name": .string(name), "reduction": .string("sum_over_batch_size")] }

    /// Whether every setting is Keras's default, so that `compile_config` may hold just the loss's name.
    open var hasDefaultSettings: Bool { true }

    /// The loss of each sample: shape [batch].
    open func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        throw KestrelError.invalidState("\(name): perSample(yTrue:yPred:) is not implemented.")
    }

    /// Checks labels before training (e.g. class indices in range); throws an error naming the problem.
    open func validate(yTrue: Tensor, yPredShape: [Int]) throws {}

    /// The output activation ("softmax" or "sigmoid") whose input this loss can take instead, or nil.
    ///
    /// Keras 3 (TensorFlow backend) remembers the logits of every softmax/sigmoid output and its
    /// probability crossentropies use them, so a `Dense(10, activation: .softmax)` model trained with
    /// `sparseCategoricalCrossentropy` really computes `fromLogits: true` on the pre-activation values
    /// (no clipping at 1e-7; the loss of a confidently wrong sample is not capped at 16.1 and still has a
    /// gradient). To match, a trainer whose model ends in this activation should compute the loss with
    /// `logitsEquivalent` on the pre-activation tensor.
    open var fusableActivation: String? { nil }

    /// The same loss taking logits (for the activation named by `fusableActivation`); nil when there is none.
    open var logitsEquivalent: Loss? { nil }

    /// This loss computed from the values before `activation` ("sigmoid" or "softmax"), or nil when it
    /// does not read that activation's logits.
    ///
    /// Keras 3's TensorFlow backend keeps the logits of every sigmoid/softmax output (`_keras_logits`) and
    /// its cross-entropies read them whatever `from_logits` says (with `from_logits=True` it warns, then uses
    /// the true logits, not the probabilities as logits). The loss-named metrics follow it, so a metric
    /// `binary_crossentropy` on a sigmoid model logs the same value as the loss.
    open func logitsForm(after activation: String) -> Loss? { nil }
}
