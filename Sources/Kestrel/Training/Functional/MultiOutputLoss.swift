/// The loss of a model with several outputs (Keras's compiled loss for `loss={name: …}`): each output's
/// loss on its own targets, multiplied by its `lossWeights` entry, summed per sample. The trainer
/// applies it output by output (`Model.totalLoss`); it is a `Loss` so that `model.loss` holds it.
final class MultiOutputLoss: Loss, @unchecked Sendable {
    /// One loss per output, in the model's output order.
    let losses: [Loss]
    /// One weight per output.
    let weights: [Float]
    /// The output names, in order.
    let names: [String]

    init(losses: [Loss], weights: [Float], names: [String]) {
        self.losses = losses
        self.weights = weights
        self.names = names
        super.init(name: "loss")
    }

    /// A single pair of arrays cannot hold several outputs' targets.
    override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        throw KestrelError.invalidArgument(
            "the model's loss has one part per output (\(names.joined(separator: ", "))); use computeLoss(targets:outputs:) with one array per output.")
    }
}

/// A compiled metric that reads one output of a multi-output model.
protocol OutputSelectingMetric: Metric {
    /// The output this metric reads (its position in the model's outputs).
    var index: Int { get }
    /// Updates the metric from the targets and predictions of every output.
    func update(targets: [Tensor], outputs: [Tensor], sampleWeight: Tensor?) throws
    /// As `update(targets:outputs:sampleWeight:)`, with its output's values before `activation` when the
    /// loss took them (for a cross-entropy metric, as Keras reads `_keras_logits`).
    func update(targets: [Tensor], outputs: [Tensor], logits: OutputLogits?, sampleWeight: Tensor?) throws
    /// Whether it reads its output's values before `activation`, so a forward pass should keep them.
    func readsLogits(after activation: String) -> Bool
    /// The metric resolved for its output's shapes.
    func resolved(targetShapes: [[Int]], outputShapes: [[Int]]) -> Metric
}

/// The mean loss of one output (Keras's `<output>_loss` history key of a multi-output model).
final class OutputLossMetric: Metric, OutputSelectingMetric, @unchecked Sendable {
    private let loss: Loss
    let index: Int
    private var total = 0.0, count = 0.0

    init(_ combined: MultiOutputLoss, index: Int) {
        self.loss = combined.losses[index]
        self.index = index
        super.init(name: "\(combined.names[index])_loss")
    }

    func update(targets: [Tensor], outputs: [Tensor], sampleWeight: Tensor?) throws {
        try add(try loss.perSample(yTrue: targets[index], yPred: outputs[index]), sampleWeight: sampleWeight)
    }

    /// From the logits where the loss took them, so `<output>_loss` is the value the loss trained on (logits
    /// kept only for a metric leave it on the output, as the loss).
    func update(targets: [Tensor], outputs: [Tensor], logits: OutputLogits?, sampleWeight: Tensor?) throws {
        try add(try loss.perSample(yTrue: targets[index], yPred: outputs[index], logits: logits?.detached), sampleWeight: sampleWeight)
    }

    /// Never for itself: it reads the logits only where the loss takes them (and so keeps them anyway).
    func readsLogits(after activation: String) -> Bool { false }

    private func add(_ losses: Tensor, sampleWeight: Tensor?) throws {
        var perSample = losses
        if let sampleWeight { perSample = try perSample * sampleWeight }
        total += Double(try perSample.sum().scalar ?? .nan)
        count += Double(max(perSample.count, 1))
    }

    func resolved(targetShapes: [[Int]], outputShapes: [[Int]]) -> Metric { self }
    override func result() -> Double { count > 0 ? total / count : 0 }
    override func resetState() { (total, count) = (0, 0) }
}

/// A metric of one output (Keras's `<output>_<metric>` history key): it sees only that output's
/// targets and predictions.
final class OutputMetric: Metric, OutputSelectingMetric, @unchecked Sendable {
    private let loss: Loss
    private let outputName: String?
    /// The output this metric reads (its position in the model's outputs).
    let index: Int
    private(set) var inner: Metric

    init(_ inner: Metric, of combined: MultiOutputLoss, index: Int) {
        let outputName = combined.names.count > 1 ? combined.names[index] : nil
        self.inner = inner
        self.loss = combined.losses[index]
        self.outputName = outputName
        self.index = index
        super.init(name: OutputMetric.name(of: inner, output: outputName))
    }

    func update(targets: [Tensor], outputs: [Tensor], sampleWeight: Tensor?) throws {
        try inner.updateState(yTrue: targets[index], yPred: outputs[index], sampleWeight: sampleWeight)
    }

    func update(targets: [Tensor], outputs: [Tensor], logits: OutputLogits?, sampleWeight: Tensor?) throws {
        guard let logits, let reading = inner as? LogitsReadingMetric else {
            return try update(targets: targets, outputs: outputs, sampleWeight: sampleWeight)
        }
        try reading.updateState(yTrue: targets[index], yPred: outputs[index], logits: logits.values,
                                activation: logits.activation, sampleWeight: sampleWeight)
    }

    /// Whether the wrapped metric reads the logits before `activation`.
    func readsLogits(after activation: String) -> Bool { (inner as? LogitsReadingMetric)?.readsLogits(after: activation) ?? false }

    override func result() -> Double { inner.result() }
    override func resetState() { inner.resetState() }

    func resolved(targetShapes: [[Int]], outputShapes: [[Int]]) -> Metric {
        guard index < targetShapes.count, index < outputShapes.count else { return self }
        inner = inner.resolved(for: loss, yTrueShape: targetShapes[index], yPredShape: outputShapes[index])
        name = OutputMetric.name(of: inner, output: outputName)
        return self
    }

    /// "<output>_<metric>", or the metric's own name for a model with one output.
    private static func name(of inner: Metric, output: String?) -> String {
        guard let output else { return inner.name }
        return "\(output)_\(inner.name)"
    }
}
