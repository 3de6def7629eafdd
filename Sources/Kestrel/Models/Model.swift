/// A layer that can be trained: Keras's `Model`, with `compile`, `fit`, `evaluate`, `predict`,
/// `summary`, and weight access. `Sequential` is the model most tutorials use.
open class Model: Layer, @unchecked Sendable {
    /// Set to true (usually by a callback) to end `fit` after the current epoch.
    public var stopTraining = false
    /// The optimizer given to `compile`.
    public internal(set) var optimizer: Optimizer?
    /// The loss given to `compile`.
    public internal(set) var loss: Loss?
    /// The metrics given to `compile`, resolved once the label shapes are known.
    public internal(set) var metrics: [Metric] = []
    var metricsResolved = false
    /// The class names in label order (Keras's `train_generator.class_indices`, inverted): set by
    /// `fit` on a dataset that knows them (`flowFromDirectory`, image folders), saved in the `.keras`
    /// file's `metadata.json` as `class_indices` and restored by `loadModel`, so `kestrel predict`
    /// prints names. Nil when unknown.
    public var classNames: [String]?
    /// The `History` of the last `fit`.
    public internal(set) var history: History?
    /// The running `fit`'s shared state (first epoch, callbacks…), nil outside `fit`.
    public internal(set) var trainingSession: TrainingSession?

    /// Stages run on the gradients between the backward pass and `optimizer.apply` in `trainStep`
    /// (before the optimizer's own clipping): the place for an all-reduce across processes or a
    /// custom transform. Empty by default.
    public var gradientTransforms: [any GradientTransform] = []
    /// Spreads `fit`'s steps over several processes (data parallelism); nil trains in this process alone.
    public var distribution: (any TrainingDistribution)?
    /// The lazily computed forward pass of the inference chunk `testStep` reads its batch from.
    var evaluationChunk: EvaluationChunk?

    /// One training step on a batch (Keras's `train_step`): forward with `training: true`, the loss
    /// (with regularisation), the gradients of the trainable weights, `applyGradients`, the metrics.
    /// Returns the batch's loss. Override it for a custom step (GANs, custom losses); `computeLoss`,
    /// `applyGradients` and `updateMetrics` are the pieces the default one uses.
    open func trainStep(x: Tensor, y: Tensor?, sampleWeight: Tensor?) throws -> Double {
        try defaultTrainStep(x: x, y: y, sampleWeight: sampleWeight)
    }

    /// One evaluation step on a batch (Keras's `test_step`): forward with `training: false`, the loss
    /// (nil without targets) and the metrics. Returns the batch's loss.
    open func testStep(x: Tensor, y: Tensor?, sampleWeight: Tensor?) throws -> Double? {
        try defaultTestStep(x: x, y: y, sampleWeight: sampleWeight)
    }

    /// One prediction step on a batch (Keras's `predict_step`): the outputs with `training: false`.
    open func predictStep(x: Tensor) throws -> Tensor {
        try self(x, training: false).detached
    }

    /// Each weight's `trainable` flag when `compile` ran: as in Keras, changing `trainable` takes effect
    /// for training at the next `compile` (weights created after it follow their current flag).
    var compiledTrainability: [ObjectIdentifier: Bool] = [:]

    /// The weights a training step updates: those trainable at the last `compile`.
    func trainableVariablesAsCompiled() -> [Variable] {
        weights.filter { compiledTrainability[ObjectIdentifier($0)] ?? $0.trainable }
    }

    /// The layer graph when the model was made with `Model(inputs:outputs:)`.
    var graph: FunctionalGraph?
    /// While `fit`/`evaluate` run on several input or target arrays: how they are packed side by side.
    var packedIO: PackedIO?

    /// The sub-layers in order (for a functional model: its `Input`s first, then by depth, as Keras).
    open var layers: [Layer] { graph?.layers ?? [] }

    /// Keras's class name of this model: "Functional" for a graph model, else the subclass's.
    open override var className: String { graph == nil ? super.className : "Functional" }

    /// Checks samples of `inputShape` against the model's inputs; throws naming the input otherwise.
    open override func build(inputShape: [Int]) throws {
        if let packedIO { return try packedIO.checkPackedInput(inputShape, modelName: name) }
        if let graph { try checkFunctionalInput(graph, sampleShape: inputShape) }
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    open override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard let graph else { return inputShape }
        if let packedIO {
            try packedIO.checkPackedInput(inputShape, modelName: name)
            return [packedIO.outputs.total]
        }
        try checkFunctionalInput(graph, sampleShape: inputShape)
        return try singleFunctionalOutput(graph).shape
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    open override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let graph else { return input }
        if let packedIO { return try packedIO.run(graph, packedInput: input, training: training, modelName: name) }
        _ = try singleFunctionalOutput(graph)
        return try graph.run([input], training: training, modelName: name)[0]
    }

    /// Every weight of every layer, in order.
    open override var weights: [Variable] { layers.flatMap(\.weights) }

    /// Freezing a model freezes all its layers (Keras semantics).
    open override var trainable: Bool {
        didSet { for layer in layers { layer.trainable = trainable } }
    }

    /// The model's output and, when the last layer ends in `activation` (a loss's
    /// `fusableActivation`), the values before it, which carry the gradient in that case.
    func forward(_ input: Tensor, training: Bool, fusing activation: String?) throws -> ForwardResult {
        if let graph, let packedIO, let combined = loss as? MultiOutputLoss,
           let fused = try packedForward(graph, packedIO, input, training: training, loss: combined) {
            return fused
        }
        if let graph, packedIO == nil, let activation, let node = graph.fusableOutputNode(activation: activation) {
            return try functionalForward(graph, input, training: training, fusing: node)
        }
        return ForwardResult(output: try self(input, training: training), logits: nil)
    }

    /// The sum of all layers' weight and activity regularisation losses (nil when none).
    func regularizationLosses() throws -> Tensor? {
        var total: Tensor?
        for layer in layers {
            if let model = layer as? Model {
                if let nested = try model.regularizationLosses() { total = try total.map { try $0 + nested } ?? nested }
                continue
            }
            var penalties = layer.activityLosses
            if let weightPenalty = try layer.regularizationLoss() { penalties.append(weightPenalty) }
            for penalty in penalties { total = try total.map { try $0 + penalty } ?? penalty }
        }
        return total
    }

    /// Configures training (Keras's `compile`). Each argument is written as Keras writes it: an object
    /// (`Adam(learningRate: 0.0005)`), a shorthand (`.adam()`, `.sparseCategoricalCrossentropy`,
    /// `.accuracy`) or a Keras string (`"adam"`, `"sparse_categorical_crossentropy"`, `"accuracy"`), mixed
    /// freely. Unknown strings throw an error naming the argument and listing the valid names.
    public func compile(optimizer: some OptimizerConvertible, loss: some LossConvertible,
                        metrics: [any MetricConvertible] = []) throws {
        let resolvedOptimizer = try Model.resolving("optimizer") { try optimizer.resolvedOptimizer() }
        let resolvedLoss = try Model.resolving("loss") { try loss.resolvedLoss() }
        let resolvedMetrics = try Model.resolving("metrics") { try metrics.map { try $0.resolvedMetric(loss: resolvedLoss) } }
        try resolvedOptimizer.validateSettings()
        self.optimizer = resolvedOptimizer
        self.loss = resolvedLoss
        self.metrics = resolvedMetrics
        self.metricsResolved = false
        compiledTrainability = Dictionary(weights.map { (ObjectIdentifier($0), $0.trainable) }) { first, _ in first }
    }

    /// `compile` with `loss:` before `optimizer:`, the order of keras-io's examples
    /// (`compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])`).
    public func compile(loss: some LossConvertible, optimizer: some OptimizerConvertible,
                        metrics: [any MetricConvertible] = []) throws {
        try compile(optimizer: optimizer, loss: loss, metrics: metrics)
    }

    /// Runs `body`, prefixing an invalid-argument error's message with `compile(<label>:)`, so an unknown
    /// string names the argument it was given for.
    static func resolving<Value>(_ label: String, _ body: () throws -> Value) throws -> Value {
        do { return try body() } catch KestrelError.invalidArgument(let message) {
            throw KestrelError.invalidArgument("compile(\(label):): \(message)")
        }
    }

    /// The output shape for inputs of `inputShape`; builds the model if needed.
    public func outputShape(forInput inputShape: [Int]) throws -> [Int] {
        try buildIfNeeded(inputShape: inputShape)
        return try computeOutputShape(inputShape)
    }
}

/// A forward pass for the loss: the output, plus the pre-activation values when fused.
struct ForwardResult {
    let output: Tensor
    let logits: Tensor?
    /// The loss to apply to `logits` in place of the compiled loss's `logitsEquivalent` (a multi-output
    /// model fuses some outputs and not others).
    var logitsLoss: Loss? = nil

    /// The per-sample loss: from the logits through the loss's logits form when fused.
    func perSampleLoss(_ loss: Loss, yTrue: Tensor) throws -> Tensor {
        if let logits, let logitLoss = logitsLoss ?? loss.logitsEquivalent { return try logitLoss.perSample(yTrue: yTrue, yPred: logits) }
        return try loss.perSample(yTrue: yTrue, yPred: output)
    }

    /// Rows `rows` of every tensor (one evaluation batch of a chunk).
    func slice(rows: Range<Int>) throws -> ForwardResult {
        ForwardResult(output: try output.slice(rows: rows), logits: try logits?.slice(rows: rows), logitsLoss: logitsLoss)
    }
}
