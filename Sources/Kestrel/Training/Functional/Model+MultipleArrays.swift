extension Model {
    /// Configures a functional model with one loss per output, keyed by output name (Keras's
    /// `compile(loss={"kind": …, "score": …}, loss_weights={…}, metrics={…})`). The total loss is
    /// Σ weight · loss; history gets `<output>_loss` and `<output>_<metric>` keys (with `val_` ones).
    public func compile(optimizer: some OptimizerConvertible, loss: [String: any LossConvertible],
                        lossWeights: [String: Float]? = nil, metrics: [String: [any MetricConvertible]] = [:]) throws {
        let names = outputNames
        for key in Set(loss.keys).union(lossWeights.map { Array($0.keys) } ?? []).union(metrics.keys).sorted() where !names.contains(key) {
            throw KestrelError.invalidArgument(
                "compile: '\(key)' names no output of model '\(name)'; its outputs are: \(names.joined(separator: ", ")).")
        }
        let losses = try names.map { output -> any LossConvertible in
            guard let value = loss[output] else {
                throw KestrelError.invalidArgument("compile: no loss was given for output '\(output)' of model '\(name)'.")
            }
            return value
        }
        try compile(optimizer: optimizer, loss: losses, lossWeights: lossWeights.map { weights in names.map { weights[$0] ?? 1 } },
                    metrics: names.map { metrics[$0] ?? [] })
    }

    /// Configures a functional model with one loss (and optionally one weight and metric list) per
    /// output, in output order.
    public func compile(optimizer: some OptimizerConvertible, loss: [any LossConvertible], lossWeights: [Float]? = nil,
                        metrics: [[any MetricConvertible]] = []) throws {
        guard let graph else {
            throw KestrelError.invalidState("compile: per-output losses need a functional model (Model(inputs:outputs:)); '\(name)' has one output.")
        }
        let count = graph.outputs.count
        guard loss.count == count, (lossWeights?.count ?? count) == count, metrics.isEmpty || metrics.count == count else {
            throw KestrelError.invalidArgument(
                "compile: model '\(name)' has \(count) outputs (\(outputNames.joined(separator: ", "))) but got \(loss.count) losses, \(lossWeights?.count ?? count) loss weights and \(metrics.count) metric lists.")
        }
        let losses = try Model.resolving("loss") { try loss.map { try $0.resolvedLoss() } }
        let combined = MultiOutputLoss(losses: losses, weights: lossWeights ?? Array(repeating: 1, count: count), names: outputNames)
        var wrapped: [Metric] = count > 1 ? (0..<count).map { OutputLossMetric(combined, index: $0) } : []
        for (index, list) in metrics.enumerated() {
            let resolved = try Model.resolving("metrics") { try list.map { try $0.resolvedMetric(loss: losses[index]) } }
            wrapped += resolved.map { OutputMetric($0, of: combined, index: index) }
        }
        try compile(optimizer: optimizer, loss: combined, metrics: wrapped)
    }

    /// Trains a functional model on one array per input and one target array per output (in order).
    @discardableResult
    public func fit(_ x: [Tensor], _ y: [Tensor], epochs: Int = 1, batchSize: Int? = nil, verbose: Verbosity = .auto,
                    validationSplit: Double = 0, validationData: ([Tensor], [Tensor])? = nil, callbacks: [Callback] = [],
                    shuffle: Bool = true, sampleWeight: Tensor? = nil, initialEpoch: Int = 0) throws -> History {
        let batchSize = batchSize ?? 32
        guard batchSize > 0 else { throw KestrelError.invalidArgument("fit: batchSize must be positive, got \(batchSize).") }
        guard validationSplit >= 0, validationSplit < 1 else {
            throw KestrelError.invalidArgument("fit: validationSplit must be in (0, 1) (or 0 for none), got \(validationSplit).")
        }
        let data = try arrayData(x, y, sampleWeight: sampleWeight, context: "fit")
        let validation = try validationData.map { try arrayData($0.0, $0.1, sampleWeight: nil, context: "fit(validationData:)") }
        return try fit(data, epochs: epochs, batchSize: batchSize, verbose: verbose, validationSplit: validationSplit,
                       validationData: validation, callbacks: callbacks, shuffle: shuffle, classWeight: nil,
                       initialEpoch: initialEpoch, stepsPerEpoch: nil, validationBatchSize: nil, validationFreq: 1)
    }

    /// Trains on arrays keyed by input name and targets keyed by output name.
    @discardableResult
    public func fit(_ x: [String: Tensor], _ y: [String: Tensor], epochs: Int = 1, batchSize: Int? = nil,
                    verbose: Verbosity = .auto, validationSplit: Double = 0, callbacks: [Callback] = [],
                    shuffle: Bool = true, initialEpoch: Int = 0) throws -> History {
        try fit(try orderedInputs(x, context: "fit"), try orderedTargets(y, context: "fit"), epochs: epochs, batchSize: batchSize,
                verbose: verbose, validationSplit: validationSplit, callbacks: callbacks, shuffle: shuffle, initialEpoch: initialEpoch)
    }

    /// Loss and metrics of a functional model on one array per input and one target array per output.
    public func evaluate(_ x: [Tensor], _ y: [Tensor], batchSize: Int? = nil, verbose: Verbosity = .auto) throws -> EvaluationResult {
        let batchSize = batchSize ?? 32
        guard batchSize > 0 else { throw KestrelError.invalidArgument("evaluate: batchSize must be positive, got \(batchSize).") }
        return try evaluate(try arrayData(x, y, sampleWeight: nil, context: "evaluate"), batchSize: batchSize, verbose: verbose, callbacks: [])
    }

    /// Loss and metrics on arrays keyed by input name and targets keyed by output name.
    public func evaluate(_ x: [String: Tensor], _ y: [String: Tensor], batchSize: Int? = nil,
                         verbose: Verbosity = .auto) throws -> EvaluationResult {
        try evaluate(try orderedInputs(x, context: "evaluate"), try orderedTargets(y, context: "evaluate"),
                     batchSize: batchSize, verbose: verbose)
    }

    /// The targets of a dictionary in output order; throws for unknown or missing names.
    func orderedTargets(_ dictionary: [String: Tensor], context: String) throws -> [Tensor] {
        let list = outputNames.joined(separator: ", ")
        return try Model.ordered(dictionary, by: outputNames,
                                 unknown: { "\(context): target '\($0)' names no output of model '\(name)'; its outputs are: \(list)." },
                                 missing: { "\(context): targets for output '\($0)' of model '\(name)' are missing; give one array for each of: \(list)." })
    }

    /// The input and target arrays of a functional model (their count and shapes are checked against the
    /// model by `prepareForData`); a model compiled with one loss gets that loss (and its metrics) for each output.
    private func arrayData(_ x: [Tensor], _ y: [Tensor], sampleWeight: Tensor?, context: String) throws -> ArrayData {
        guard let graph else { throw KestrelError.invalidState("\(context): lists of arrays need a functional model (Model(inputs:outputs:)).") }
        let (optimizer, loss) = try compiledState(for: context)
        if !(loss is MultiOutputLoss) {
            guard metrics.isEmpty || graph.outputs.count == 1 else {
                throw KestrelError.invalidState(
                    "\(context): model '\(name)' has \(graph.outputs.count) outputs; compile with loss and metrics per output (compile(optimizer:loss:[name: loss], metrics: [name: [...]])).")
            }
            try compile(optimizer: optimizer, loss: Array(repeating: loss, count: graph.outputs.count),
                        metrics: metrics.isEmpty ? [] : [metrics])
        }
        return try ArrayData.validated(inputs: x, targets: y, sampleWeight: sampleWeight, context: context,
                                       inputNames: inputNames, targetNames: outputNames)
    }
}
