/// The loss of a model with several outputs (Keras's compiled loss for `loss={name: …}`): each output's
/// loss on its own targets, multiplied by its `lossWeights` entry, summed per sample.
final class MultiOutputLoss: Loss, @unchecked Sendable {
    /// One loss per output, in the model's output order.
    let losses: [Loss]
    /// One weight per output.
    let weights: [Float]
    /// The outputs' packing (set at compile).
    let outputLayout: PackedLayout
    /// The targets' packing (set by each `fit`/`evaluate` from the target arrays' shapes).
    var targetLayout: PackedLayout

    init(losses: [Loss], weights: [Float], outputLayout: PackedLayout) {
        self.losses = losses
        self.weights = weights
        self.outputLayout = outputLayout
        self.targetLayout = outputLayout
        super.init(name: "loss")
    }

    override func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        let targets = try targetLayout.unpack(yTrue), predictions = try outputLayout.unpack(yPred)
        var total: Tensor?
        for index in losses.indices {
            let part = try losses[index].perSample(yTrue: targets[index], yPred: predictions[index]) * weights[index]
            total = try total.map { try $0 + part } ?? part
        }
        guard let total else { throw KestrelError.invalidState("the model has no outputs to compute a loss for.") }
        return total
    }

    /// The same loss with output `i` taken from logits (its loss's `logitsEquivalent`) where `fused[i]`;
    /// it shares the target packing.
    func fusing(_ fused: [Bool]) -> MultiOutputLoss {
        let parts = losses.indices.map { index in fused[index] ? (losses[index].logitsEquivalent ?? losses[index]) : losses[index] }
        let copy = MultiOutputLoss(losses: parts, weights: weights, outputLayout: outputLayout)
        copy.targetLayout = targetLayout
        return copy
    }

    override func validate(yTrue: Tensor, yPredShape: [Int]) throws {
        let targets = try targetLayout.unpack(yTrue)
        for index in losses.indices {
            do {
                try losses[index].validate(yTrue: targets[index], yPredShape: [yTrue.shape[0]] + outputLayout.shapes[index])
            } catch let error as KestrelError {
                throw KestrelError.invalidData("output '\(outputLayout.names[index])': \(error.message)")
            }
        }
    }
}

/// The mean loss of one output (Keras's `<output>_loss` history key of a multi-output model).
final class OutputLossMetric: Metric, @unchecked Sendable {
    private let combined: MultiOutputLoss
    private let index: Int
    private var total = 0.0, count = 0.0

    init(_ combined: MultiOutputLoss, index: Int) {
        self.combined = combined
        self.index = index
        super.init(name: "\(combined.outputLayout.names[index])_loss")
    }

    override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        let target = try combined.targetLayout.unpack(yTrue)[index], prediction = try combined.outputLayout.unpack(yPred)[index]
        var perSample = try combined.losses[index].perSample(yTrue: target, yPred: prediction)
        if let sampleWeight { perSample = try perSample * sampleWeight }
        let samples = Double(max(perSample.count, 1))
        total += Double(try perSample.sum().scalar ?? .nan)
        count += samples
    }

    override func result() -> Double { count > 0 ? total / count : 0 }
    override func resetState() { (total, count) = (0, 0) }
}

/// A metric of one output (Keras's `<output>_<metric>` history key): it sees only that output's
/// targets and predictions.
final class OutputMetric: Metric, @unchecked Sendable {
    private let combined: MultiOutputLoss
    /// The output this metric reads (its position in the model's outputs).
    let index: Int
    private(set) var inner: Metric

    init(_ inner: Metric, of combined: MultiOutputLoss, index: Int) {
        self.inner = inner
        self.combined = combined
        self.index = index
        super.init(name: combined.outputLayout.names.count > 1 ? "\(combined.outputLayout.names[index])_\(inner.name)" : inner.name)
    }

    override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        try inner.updateState(yTrue: try combined.targetLayout.unpack(yTrue)[index],
                              yPred: try combined.outputLayout.unpack(yPred)[index], sampleWeight: sampleWeight)
    }

    override func result() -> Double { inner.result() }
    override func resetState() { inner.resetState() }

    override func resolved(for loss: Loss?, yTrueShape: [Int], yPredShape: [Int]) -> Metric {
        let samples = yTrueShape.first ?? 0
        inner = inner.resolved(for: combined.losses[index], yTrueShape: [samples] + combined.targetLayout.shapes[index],
                               yPredShape: [samples] + combined.outputLayout.shapes[index])
        name = combined.outputLayout.names.count > 1 ? "\(combined.outputLayout.names[index])_\(inner.name)" : inner.name
        return self
    }
}
