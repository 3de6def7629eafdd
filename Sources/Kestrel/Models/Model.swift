/// A layer that can be trained: Keras's `Model`, with `compile`, `fit`, `evaluate`, `predict`,
/// `summary`, and weight access. `Sequential` is the model most tutorials use.
open class Model: Layer, @unchecked Sendable {
    /// Set to true (usually by a callback) to end `fit` after the current epoch.
    public var stopTraining = false
    /// The optimizer given to `compile`.
    public internal(set) var optimizer: Optimizer?
    /// The loss given to `compile`.
    public internal(set) var loss: Loss?
    /// The metrics given to `compile`, one by one, resolved once the label shapes are known (what Keras 3
    /// holds in its `compile_metrics` container). The default steps update these; `metrics` lists them after
    /// the loss tracker.
    public internal(set) var compiledMetrics: [Metric] = []
    /// Keras's `model.metrics`: once compiled, the loss tracker (a `Mean` named "loss") first, then the
    /// compiled metrics, then the metrics a subclass holds in its stored properties (empty before `compile`
    /// unless the subclass holds some). Keras 3 wraps the compiled metrics in one `compile_metrics` object;
    /// Kestrel lists them one by one, so `metricsNames` reads as the log keys do (`["loss", "accuracy"]`).
    /// A subclass may override it as Keras's guides do (`[lossTracker, maeMetric]`); `resetMetrics()` resets
    /// what it lists too.
    open var metrics: [Metric] {
        var result: [Metric] = optimizer == nil ? [] : [lossTracker] + compiledMetrics
        var seen = Set(result.map(ObjectIdentifier.init))
        for metric in trackedProperties(of: Metric.self) where seen.insert(ObjectIdentifier(metric)).inserted {
            result.append(metric)
        }
        return result
    }

    /// Keras's `model.metrics_names`: the name of each of `metrics`, the loss tracker's "loss" first.
    public var metricsNames: [String] { metrics.map(\.name) }
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
    /// Whether each process of a multi-process launch (`mpirun -np N`) trains alone on purpose (a sweep: one
    /// run per rank). `fit` without a `distribution` then leaves out its notice that every rank trains alone,
    /// as `KESTREL_INDEPENDENT_RANKS=1` does for the whole process. False by default.
    public var ranksTrainIndependently = false
    /// The lazily computed forward pass of the inference chunk `testStep` reads its batch from.
    var evaluationChunk: EvaluationChunk?

    /// The running mean of the batch losses since the last reset, weighted by batch size (Keras's loss
    /// tracker, logged as "loss"): the default steps update it; a custom step may too.
    public let lossTracker = Mean(name: "loss")

    /// One training step on a batch (Keras's `train_step`), returning the logs to show: the default
    /// runs forward with `training: true`, the loss (with regularisation), the gradients of the trainable
    /// weights, `applyGradients`, the loss tracker and the metrics, and returns `metricsResult()`.
    /// Override it for a custom step (GANs, several losses): every key you return reaches the progress
    /// line, `History` and the callbacks' logs; the last step's logs are the epoch's. `computeLoss`,
    /// `applyGradients` and `updateMetrics` are the pieces the default one uses.
    open func trainStep(_ batch: Batch) throws -> [String: Double] {
        try defaultTrainStep(batch)
    }

    /// One evaluation step on a batch (Keras's `test_step`): the default runs forward with
    /// `training: false`, updates the loss tracker (when the batch has targets) and the metrics, and
    /// returns `metricsResult()`. In `fit`, the returned keys come back prefixed `val_`.
    open func testStep(_ batch: Batch) throws -> [String: Double] {
        try defaultTestStep(batch)
    }

    /// One prediction step on a batch (Keras's `predict_step`): one tensor per output, with
    /// `training: false`.
    open func predictStep(_ batch: Batch) throws -> [Tensor] {
        try self(batch.inputs, training: false).map(\.detached)
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

    /// The sub-layers in order (for a functional model: its `Input`s first, then by depth, as Keras).
    /// A subclassed model's are the layers held in its stored properties, in declaration order (Keras tracks
    /// layers assigned as attributes).
    open var layers: [Layer] { graph?.layers ?? trackedLayers }

    /// Keras's class name of this model: "Functional" for a graph model, else the subclass's.
    open override var className: String { graph == nil ? super.className : "Functional" }

    /// Checks samples of `inputShape` against the model's inputs; throws naming the input otherwise.
    /// A subclassed model (no graph, declared outside Kestrel) runs `call` once on one zero sample, which
    /// builds its layers before the first training step, as Keras 3 does.
    open override func build(inputShape: [Int]) throws {
        if let graph { try checkFunctionalInput(graph, sampleShape: inputShape) } else if isDefinedOutsideKestrel {
            _ = try call(try Tensor.zeros([1] + inputShape), training: false)
        }
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    open override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard let graph else {
            return isDefinedOutsideKestrel && builtInputShape == inputShape ? try shapeByCalling(inputShape) : inputShape
        }
        try checkFunctionalInput(graph, sampleShape: inputShape)
        return try singleFunctionalOutput(graph).shape
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    open override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let graph else { return input }
        _ = try singleFunctionalOutput(graph)
        return try graph.run([input], training: training, modelName: name)[0]
    }

    /// Every weight of every layer, in order.
    open override var weights: [Variable] { directWeights + layers.flatMap(\.weights) }

    /// Freezing a model freezes all its layers (Keras semantics).
    open override var trainable: Bool {
        didSet { for layer in layers { layer.trainable = trainable } }
    }

    /// The model's outputs for the loss and, for each output whose layer ends in a sigmoid/softmax whose
    /// logits its loss takes (a softmax under a cross-entropy…) or a compiled metric reads (Keras's
    /// `_keras_logits`), the values before that activation. Where the loss takes them they carry the gradient.
    func forward(_ inputs: [Tensor], training: Bool) throws -> ForwardResult {
        clearLosses()
        let requests = logitsRequests()
        if let graph { return try graphForward(graph, inputs, training: training, requests: requests) }
        guard inputs.count == 1 else {
            throw KestrelError.invalidArgument("model '\(name)' takes one input but was given \(inputs.count).")
        }
        return try forward(inputs[0], training: training, logitsFor: requests.first ?? .none)
    }

    /// The pass of a model without a graph (`Sequential` stops before its last layer's activation when `request` wants it).
    func forward(_ input: Tensor, training: Bool, logitsFor request: LogitsRequest) throws -> ForwardResult {
        ForwardResult(output: try self(input, training: training), logits: nil)
    }

    /// The pass of a functional model, each output's activation split off where its loss takes the logits
    /// (a softmax output under a cross-entropy, a sigmoid under binary cross-entropy) or a metric reads them.
    private func graphForward(_ graph: FunctionalGraph, _ inputs: [Tensor], training: Bool, requests: [LogitsRequest]) throws -> ForwardResult {
        let nodes: [Node?] = graph.outputs.indices.map { index in
            guard index < requests.count else { return nil }
            return requests[index].candidates.lazy.compactMap { graph.fusableNode(ofOutput: index, activation: $0) }.first
        }
        let values = try graph.run(inputs, training: training, modelName: name, beforeActivationOf: nodes.compactMap { $0 })
        var outputs: [Tensor] = [], logits: [OutputLogits?] = []
        for (index, (value, node)) in zip(values, nodes).enumerated() {
            if let node, let activation = node.layer.fusableOutputActivation {
                let fused = requests[index].fuses(activation.rawValue)
                outputs.append(try activation.apply(fused ? value.detached : value))
                logits.append(OutputLogits(values: value, activation: activation.rawValue))
            } else {
                outputs.append(value)
                logits.append(nil)
            }
        }
        return ForwardResult(outputs: outputs, logits: logits)
    }

    /// The sum of all layers' weight and activity regularisation losses and `addLoss` terms (nil when none).
    func regularizationLosses() throws -> Tensor? {
        var total: Tensor?
        for penalty in try collectLosses() { total = try total.map { try $0 + penalty } ?? penalty }
        return total
    }

    /// Clears the model's own loss terms and every layer's (a nested model's through its layers).
    override func clearLosses() {
        activityLosses = []
        for layer in layers { layer.clearLosses() }
    }

    /// The model's own loss terms, then every layer's (a nested model's through its layers).
    override func collectLosses() throws -> [Tensor] {
        var result = activityLosses
        if let penalty = try regularizationLoss() { result.append(penalty) }
        for layer in layers { result += try layer.collectLosses() }
        return result
    }

    /// Configures training (Keras's `compile`). Each argument is written as Keras writes it: an object
    /// (`Adam(learningRate: 0.0005)`), a shorthand (`.adam()`, `.sparseCategoricalCrossentropy`,
    /// `.accuracy`) or a Keras string (`"adam"`, `"sparse_categorical_crossentropy"`, `"accuracy"`), mixed
    /// freely. Unknown strings throw an error naming the argument and listing the valid names.
    public func compile(optimizer: some OptimizerConvertible, loss: some LossConvertible,
                        metrics: [any MetricConvertible] = []) throws {
        let resolvedLoss = try Model.resolving("loss") { try loss.resolvedLoss() }
        try configure(optimizer: optimizer, loss: resolvedLoss, metrics: metrics)
    }

    /// `compile` without a loss (Keras's `compile(optimizer="adam")`), for a subclass whose own `trainStep`
    /// computes its loss; the default training and evaluation steps then throw, asking for a loss.
    public func compile(optimizer: some OptimizerConvertible, metrics: [any MetricConvertible] = []) throws {
        try configure(optimizer: optimizer, loss: nil, metrics: metrics)
    }

    /// What both `compile`s do once the loss is resolved.
    private func configure(optimizer: some OptimizerConvertible, loss resolvedLoss: Loss?, metrics: [any MetricConvertible]) throws {
        let resolvedOptimizer = try Model.resolving("optimizer") { try optimizer.resolvedOptimizer() }
        let resolvedMetrics = try Model.resolving("metrics") { try metrics.map { try $0.resolvedMetric(loss: resolvedLoss) } }
        try resolvedOptimizer.validateSettings()
        self.optimizer = resolvedOptimizer
        self.loss = resolvedLoss
        self.compiledMetrics = resolvedMetrics
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

/// A forward pass for the loss: one tensor per output, plus an output's pre-activation values where
/// its activation is fused into its loss or a metric reads them.
struct ForwardResult {
    let outputs: [Tensor]
    /// One per output: the values before its sigmoid/softmax, or nil.
    let logits: [OutputLogits?]

    init(outputs: [Tensor], logits: [OutputLogits?]) {
        self.outputs = outputs
        self.logits = logits
    }

    /// Outputs without logits (a custom step's predictions).
    init(outputs: [Tensor]) {
        self.init(outputs: outputs, logits: outputs.map { _ in nil })
    }

    /// A single output, with the values before its activation when given.
    init(output: Tensor, logits: OutputLogits?) {
        self.init(outputs: [output], logits: [logits])
    }

    /// The first output.
    var output: Tensor { outputs[0] }

    /// Output `index`'s per-sample loss: from its logits through the loss's logits form when the loss takes
    /// the logits of that activation (kept only for metrics, they do not change the loss).
    func perSampleLoss(_ loss: Loss, output index: Int, yTrue: Tensor) throws -> Tensor {
        try loss.perSample(yTrue: yTrue, yPred: outputs[index], logits: logits[index])
    }

    /// Rows `rows` of every tensor (one evaluation batch of a chunk).
    func slice(rows: Range<Int>) throws -> ForwardResult {
        ForwardResult(outputs: try outputs.map { try $0.slice(rows: rows) }, logits: try logits.map { try $0?.slice(rows: rows) })
    }
}
