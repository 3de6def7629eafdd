/// The Huber loss, as Keras 3's `Huber`: per element `½e²` when `|e| ≤ delta`, else
/// `delta·|e| − ½delta²` (with `e = p − t`), averaged over the last axis per sample.
public final class Huber: Loss, @unchecked Sendable {
    /// Where the loss changes from quadratic to linear.
    public let delta: Float

    /// Makes the loss with Keras's default `delta` of 1.
    public init(delta: Float = 1) {
        self.delta = delta
        super.init(name: "huber_loss")
    }

    /// Keras's `get_config()`.
    public override var config: LayerConfig { super.config.merging(["delta": KerasObjects.number(delta)]) { $1 } }

    /// Whether every setting is Keras's default.
    public override var hasDefaultSettings: Bool { delta == 1 }

    /// Checks that targets `yTrue` fit predictions of `yPredShape`; throws naming the loss and both shapes otherwise.
    public override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        guard delta.isFinite, delta >= 0 else {
            throw KestrelError.invalidArgument("\(name): delta must be a finite number ≥ 0, got \(delta).")
        }
        try FusedLossKernel.checkSameShape(yTrue.shape, yPredShape, loss: name)
    }

    /// The loss of each sample (batch axis kept), differentiable with respect to `yPred`.
    public override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        try FusedLossKernel.checkSameShape(yTrue.shape, yPred.shape, loss: name)
        _ = try FusedLossKernel.layout(yPred, loss: name)
        return try yPred.perSampleLoss(.huber(delta: delta), targets: yTrue)
    }
}

extension Huber: KerasSerializable {
    /// Keras's `Huber.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(delta: try reader.float("delta", default: 1))
    }
}
