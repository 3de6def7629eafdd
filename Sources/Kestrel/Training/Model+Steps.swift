extension Model {
    /// The compiled loss on predictions `yPred` for targets `y` (Keras's `compute_loss`): the weighted
    /// mean over the batch plus every regularisation loss. Call it inside `valueWithGradients`.
    public func computeLoss(y: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) throws -> Tensor {
        try computeLoss(targets: [y], outputs: [yPred], sampleWeight: sampleWeight)
    }

    /// The compiled loss of a model with several outputs: each output's loss on its targets (in output
    /// order), times its loss weight, summed per sample; then the weighted mean over the batch plus every
    /// regularisation loss.
    public func computeLoss(targets: [Tensor], outputs: [Tensor], sampleWeight: Tensor? = nil) throws -> Tensor {
        _ = try compiledState(for: "computeLoss")
        return try totalLoss(ForwardResult(outputs: outputs), targets: targets, sampleWeight: sampleWeight)
    }

    /// Runs `gradientTransforms`, then `optimizer.apply(gradients:to:)` (which clips and updates).
    /// `gradients` holds one gradient per variable of `variables`.
    public func applyGradients(_ gradients: [Tensor], to variables: [Variable]) throws {
        let optimizer = try compiledOptimizer(for: "applyGradients")
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
        try updateMetrics(targets: [y], outputs: [yPred], sampleWeight: sampleWeight)
    }

    /// Updates every compiled metric of a model with several outputs: each per-output metric sees its
    /// output's targets and predictions (in output order).
    public func updateMetrics(targets: [Tensor], outputs: [Tensor], sampleWeight: Tensor? = nil) throws {
        resolveMetrics(targetShapes: targets.map(\.shape), outputShapes: outputs.map(\.shape))
        try updateMetricStates(targets: targets, outputs: outputs, sampleWeight: sampleWeight)
    }

    /// Updates every compiled metric (without resolving them first). `logits` holds, per output, the values
    /// before its sigmoid/softmax (`ForwardResult`), for the cross-entropy metrics that read them as Keras
    /// does (`LossMetric`).
    private func updateMetricStates(targets: [Tensor], outputs: [Tensor], logits: [OutputLogits?] = [], sampleWeight: Tensor?) throws {
        func logitsOf(_ index: Int) -> OutputLogits? { index < logits.count ? logits[index] : nil }
        for metric in compiledMetrics {
            if let selecting = metric as? OutputSelectingMetric {
                try selecting.update(targets: targets, outputs: outputs, logits: logitsOf(selecting.index), sampleWeight: sampleWeight)
            } else if let target = targets.first, let output = outputs.first {
                if let reading = metric as? LogitsReadingMetric, let logits = logitsOf(0) {
                    try reading.updateState(yTrue: target, yPred: output, logits: logits.values, activation: logits.activation,
                                            sampleWeight: sampleWeight)
                } else {
                    try metric.updateState(yTrue: target, yPred: output, sampleWeight: sampleWeight)
                }
            }
        }
    }

    /// Per output, the logits a forward pass should keep: those its loss takes and those a compiled metric
    /// reads (a cross-entropy metric on a sigmoid/softmax output, whatever the loss, as Keras 3's
    /// `_keras_logits`). Without such a metric nothing more is kept than the loss needs.
    func logitsRequests() -> [LogitsRequest] {
        var requests = outputLosses.losses.map { loss in
            LogitsRequest(lossActivation: loss.logitsEquivalent == nil ? nil : loss.fusableActivation)
        }
        for metric in compiledMetrics {
            let index = (metric as? OutputSelectingMetric)?.index ?? 0
            guard index < requests.count else { continue }
            for activation in ["sigmoid", "softmax"] where !requests[index].wants(activation) {
                let reads = (metric as? OutputSelectingMetric)?.readsLogits(after: activation)
                    ?? (metric as? LogitsReadingMetric)?.readsLogits(after: activation) ?? false
                if reads { requests[index].metricActivations.insert(activation) }
            }
        }
        return requests
    }

    /// The running loss (`lossTracker`) and every compiled metric's result, by name (Keras's
    /// `get_metrics_result`): what the default steps return.
    public func metricsResult() -> [String: Double] {
        var logs = ["loss": lossTracker.result()]
        for metric in compiledMetrics { logs[metric.name] = metric.result() }
        return logs
    }

    /// Resets the loss tracker, the compiled metrics and the metrics a subclass holds in its stored
    /// properties (a custom `trainStep`'s own trackers, which Keras tracks as attributes), as `fit` does at
    /// each epoch's start and `evaluate` before its first batch (Keras's `reset_metrics`).
    public func resetMetrics() {
        lossTracker.resetState()
        for metric in compiledMetrics + trackedProperties(of: Metric.self) + metrics { metric.resetState() }
    }

    /// The compiled loss of each output and, for per-output losses, their weights.
    var outputLosses: (losses: [Loss], weights: [Float]?) {
        if let combined = loss as? MultiOutputLoss { return (combined.losses, combined.weights) }
        return (loss.map { [$0] } ?? [], nil)
    }

    /// The loss of one forward pass: the per-sample loss of every output (through its logits when fused)
    /// times its weight, summed, then the weighted mean over the batch plus regularisation.
    func totalLoss(_ forward: ForwardResult, targets: [Tensor], sampleWeight: Tensor?) throws -> Tensor {
        let (losses, weights) = outputLosses
        guard targets.count == losses.count, forward.outputs.count == losses.count else {
            throw KestrelError.invalidArgument(
                "the loss of model '\(name)' needs one target and one output per compiled loss (\(losses.count)); got \(targets.count) targets and \(forward.outputs.count) outputs.")
        }
        var perSample: Tensor?
        for index in losses.indices {
            var part = try forward.perSampleLoss(losses[index], output: index, yTrue: targets[index])
            if let weights { part = try part * weights[index] }
            perSample = try perSample.map { try $0 + part } ?? part
        }
        guard let perSample else { throw KestrelError.invalidState("model '\(name)' has no outputs to compute a loss for.") }
        var total = try weightedMeanLoss(perSample, sampleWeight: sampleWeight)
        if let penalty = try regularizationLosses() { total = try total + penalty }
        return total
    }

    /// Keras's `sum_over_batch_size` reduction: Σ(loss · weight) / batch size.
    func weightedMeanLoss(_ perSample: Tensor, sampleWeight: Tensor?) throws -> Tensor {
        guard let sampleWeight else { return try perSample.mean() }
        return try (perSample * sampleWeight).sum() / Float(max(perSample.count, 1))
    }

    func defaultTrainStep(_ batch: Batch) throws -> [String: Double] {
        _ = try compiledState(for: "fit")
        guard !batch.targets.isEmpty else { throw KestrelError.invalidArgument("fit needs targets y.") }
        if !metricsResolved { try validateTargets(batch.targets, outputShapes: try outputShapes(for: batch)) }
        let variables = trainableVariablesAsCompiled()
        var predictions: [Tensor] = [], logits: [OutputLogits?] = []
        let (value, gradients) = try valueWithGradients(for: variables) {
            let forward = try self.forward(batch.inputs, training: true)
            predictions = forward.outputs.map(\.detached)
            logits = forward.logits.map { $0?.detached }
            return try self.totalLoss(forward, targets: batch.targets, sampleWeight: batch.sampleWeight)
        }
        try applyGradients(gradients, to: variables)
        lossTracker.update(value: Double(value.scalar ?? .nan), weight: Double(batch.count))
        resolveMetrics(targetShapes: batch.targets.map(\.shape), outputShapes: predictions.map(\.shape))
        try updateMetricStates(targets: batch.targets, outputs: predictions, logits: logits, sampleWeight: batch.sampleWeight)
        return metricsResult()
    }

    func defaultTestStep(_ batch: Batch) throws -> [String: Double] {
        _ = try compiledState(for: "evaluate")
        let forward = try evaluationChunk?.forward(model: self) ?? self.forward(batch.inputs, training: false)
        guard !batch.targets.isEmpty else { return metricsResult() }
        let value = try totalLoss(forward, targets: batch.targets, sampleWeight: batch.sampleWeight)
        lossTracker.update(value: Double(value.scalar ?? .nan), weight: Double(batch.count))
        try updateMetricStates(targets: batch.targets, outputs: forward.outputs, logits: forward.logits, sampleWeight: batch.sampleWeight)
        return metricsResult()
    }

    /// Builds the model for the data's sample shapes and checks the targets against the loss.
    func prepareForData(_ data: ArrayData) throws {
        let outputShapes = try outputSampleShapes(forInputs: data.inputs.map { Array($0.shape.dropFirst()) })
        guard !data.targets.isEmpty, loss != nil else { return }
        let shapes = outputShapes.map { [data.count] + $0 }
        try validateTargets(data.targets, outputShapes: shapes)
        resolveMetrics(targetShapes: data.targets.map(\.shape), outputShapes: shapes)
    }

    /// The sample shape of each output for inputs of `inputShapes` (building the model if needed);
    /// throws naming the input when the shapes do not fit.
    func outputSampleShapes(forInputs inputShapes: [[Int]]) throws -> [[Int]] {
        if let graph, graph.inputs.count > 1 || graph.outputs.count > 1 || inputShapes.count > 1 {
            guard inputShapes.count == graph.inputs.count else {
                throw KestrelError.invalidArgument(
                    "Model '\(name)' has \(graph.inputs.count) inputs (\(inputNames.joined(separator: ", "))) but \(inputShapes.count) arrays were given.")
            }
            for (input, shape) in zip(graph.inputs, inputShapes) where shape != input.shape {
                throw KestrelError.shapeMismatch(
                    "Model '\(name)': input '\(input.name)' expects samples of shape \(LayerNaming.format(input.shape)) but got samples of shape \(LayerNaming.format(shape)).")
            }
            return graph.outputs.map(\.shape)
        }
        guard inputShapes.count == 1 else {
            throw KestrelError.invalidArgument("model '\(name)' takes one input but \(inputShapes.count) arrays were given.")
        }
        try buildIfNeeded(inputShape: inputShapes[0])
        return [try computeOutputShape(inputShapes[0])]
    }

    /// The shape of each output for `batch`'s inputs (batch axis included).
    func outputShapes(for batch: Batch) throws -> [[Int]] {
        try outputSampleShapes(forInputs: batch.inputs.map { Array($0.shape.dropFirst()) }).map { [batch.count] + $0 }
    }

    /// Checks one target array per output against its loss; a per-output loss's error names the output.
    func validateTargets(_ targets: [Tensor], outputShapes: [[Int]]) throws {
        guard let loss else { return }
        guard let combined = loss as? MultiOutputLoss else {
            guard targets.count == 1, outputShapes.count == 1 else {
                throw KestrelError.invalidArgument(
                    "model '\(name)' has \(outputShapes.count) outputs but \(targets.count) target arrays were given; give one per output and compile with one loss per output.")
            }
            return try loss.validate(yTrue: targets[0], yPredShape: outputShapes[0])
        }
        guard targets.count == combined.losses.count, outputShapes.count == combined.losses.count else {
            throw KestrelError.invalidArgument(
                "model '\(name)' has \(combined.losses.count) outputs (\(combined.names.joined(separator: ", "))) but \(targets.count) target arrays were given.")
        }
        for index in combined.losses.indices {
            do {
                try combined.losses[index].validate(yTrue: targets[index], yPredShape: outputShapes[index])
            } catch let error as KestrelError {
                throw KestrelError.invalidData("output '\(combined.names[index])': \(error.message)")
            }
        }
    }

    /// Resolves the compiled metrics ("accuracy" to its concrete form) for the first batch's shapes.
    func resolveMetrics(targetShapes: [[Int]], outputShapes: [[Int]]) {
        guard !metricsResolved, let targetShape = targetShapes.first, let outputShape = outputShapes.first else { return }
        compiledMetrics = compiledMetrics.map { metric in
            if let selecting = metric as? OutputSelectingMetric {
                return selecting.resolved(targetShapes: targetShapes, outputShapes: outputShapes)
            }
            return metric.resolved(for: loss, yTrueShape: targetShape, yPredShape: outputShape)
        }
        metricsResolved = true
    }

    /// Resolves the compiled metrics for the shapes of `batch` (its outputs from the model's shapes).
    func resolveMetrics(for batch: Batch) throws {
        guard !metricsResolved, !batch.targets.isEmpty else { return }
        resolveMetrics(targetShapes: batch.targets.map(\.shape), outputShapes: try outputShapes(for: batch))
    }
}

/// Several consecutive evaluation batches run forward together (larger matrix products are
/// faster): the first default `testStep` of the chunk computes the forward pass of all its rows, and
/// each batch reads its rows from it. A custom `testStep` that never asks costs nothing.
final class EvaluationChunk {
    let inputs: [Tensor]
    /// The rows of `inputs` the batch now being evaluated holds.
    var rows: Range<Int> = 0..<0
    private var computed: ForwardResult?

    init(inputs: [Tensor]) { self.inputs = inputs }

    /// The forward pass of the current batch, cut from the chunk's.
    func forward(model: Model) throws -> ForwardResult {
        let whole = try computed ?? model.forward(inputs, training: false)
        computed = whole
        return try whole.slice(rows: rows)
    }
}
