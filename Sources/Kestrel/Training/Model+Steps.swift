extension Model {
    /// The compiled loss on predictions `yPred` for targets `y` (Keras's `compute_loss`): the weighted
    /// mean over the batch plus every regularisation loss. Call it inside `valueWithGradients`.
    public func computeLoss(y: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) throws -> Tensor {
        let (_, loss) = try compiledState(for: "computeLoss")
        return try totalLoss(ForwardResult(output: yPred, logits: nil), loss: loss, y: y, sampleWeight: sampleWeight)
    }

    /// Runs `gradientTransforms`, then `optimizer.apply(gradients:to:)` (which clips and updates).
    /// `gradients` holds one gradient per variable of `variables`.
    public func applyGradients(_ gradients: [Tensor], to variables: [Variable]) throws {
        let (optimizer, _) = try compiledState(for: "applyGradients")
        var transformed = gradients
        for stage in gradientTransforms {
            transformed = try stage.transform(transformed, variables: variables)
            guard transformed.count == variables.count else {
                throw KestrelError.invalidState(
                    "gradient transform \(type(of: stage)) returned \(transformed.count) gradients for \(variables.count) variables.")
            }
        }
        try optimizer.apply(gradients: transformed, to: variables)
    }

    /// Updates every compiled metric with a batch's targets and predictions (resolving "accuracy"
    /// to its concrete form on first use).
    public func updateMetrics(y: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) throws {
        resolveMetrics(yTrueShape: y.shape, yPredShape: yPred.shape)
        for metric in metrics { try metric.updateState(yTrue: y, yPred: yPred, sampleWeight: sampleWeight) }
    }

    /// The loss of one forward pass: weighted per-sample loss (through the logits when fused) plus
    /// regularisation.
    func totalLoss(_ forward: ForwardResult, loss: Loss, y: Tensor, sampleWeight: Tensor?) throws -> Tensor {
        var total = try weightedMeanLoss(forward.perSampleLoss(loss, yTrue: y), sampleWeight: sampleWeight)
        if let penalty = try regularizationLosses() { total = try total + penalty }
        return total
    }

    func defaultTrainStep(x: Tensor, y: Tensor?, sampleWeight: Tensor?) throws -> Double {
        let (_, loss) = try compiledState(for: "fit")
        guard let y else { throw KestrelError.invalidArgument("fit needs targets y.") }
        if !metricsResolved {
            try loss.validate(yTrue: y, yPredShape: [x.shape.first ?? 0] + (try computeOutputShape(Array(x.shape.dropFirst()))))
        }
        let variables = trainableVariablesAsCompiled()
        var predictions = x
        let (value, gradients) = try valueWithGradients(for: variables) {
            let forward = try self.forward(x, training: true, fusing: loss.fusableActivation)
            predictions = forward.output.detached
            return try self.totalLoss(forward, loss: loss, y: y, sampleWeight: sampleWeight)
        }
        try applyGradients(gradients, to: variables)
        try updateMetrics(y: y, yPred: predictions, sampleWeight: sampleWeight)
        return Double(value.scalar ?? .nan)
    }

    func defaultTestStep(x: Tensor, y: Tensor?, sampleWeight: Tensor?) throws -> Double? {
        let (_, loss) = try compiledState(for: "evaluate")
        let forward = try evaluationChunk?.forward(rowsOf: x, model: self, loss: loss)
            ?? self.forward(x, training: false, fusing: loss.fusableActivation)
        guard let y else { return nil }
        let value = try totalLoss(forward, loss: loss, y: y, sampleWeight: sampleWeight)
        for metric in metrics { try metric.updateState(yTrue: y, yPred: forward.output, sampleWeight: sampleWeight) }
        return Double(value.scalar ?? .nan)
    }
}

/// Several consecutive evaluation batches run forward together (larger matrix products are
/// faster): the first default `testStep` of the chunk computes the forward pass of all its rows, and
/// each batch reads its rows from it. A custom `testStep` that never asks costs nothing.
final class EvaluationChunk {
    let x: Tensor
    /// The rows of `x` the batch now being evaluated holds.
    var rows: Range<Int> = 0..<0
    private var computed: ForwardResult?

    init(x: Tensor) { self.x = x }

    /// The forward pass of the current batch, cut from the chunk's.
    func forward(rowsOf batch: Tensor, model: Model, loss: Loss) throws -> ForwardResult {
        let whole = try computed ?? model.forward(x, training: false, fusing: loss.fusableActivation)
        computed = whole
        return try whole.slice(rows: rows)
    }
}
