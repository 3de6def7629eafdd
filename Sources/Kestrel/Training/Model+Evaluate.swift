extension Model {
    /// Loss and metrics on the given data (Keras's `evaluate`), in batches, without training behaviour.
    public func evaluate(_ x: Tensor, _ y: Tensor, batchSize: Int? = nil, verbose: Verbosity = .auto,
                         sampleWeight: Tensor? = nil, callbacks: [Callback] = []) throws -> EvaluationResult {
        _ = try compiledOptimizer(for: "evaluate")
        let batchSize = batchSize ?? 32
        guard batchSize > 0 else { throw KestrelError.invalidArgument("evaluate: batchSize must be positive, got \(batchSize).") }
        let data = try ArrayData.validated(inputs: [x], targets: [y], sampleWeight: sampleWeight, context: "evaluate")
        return try evaluate(data, batchSize: batchSize, verbose: verbose, callbacks: callbacks)
    }

    /// The array `evaluate`s once their arguments are checked.
    func evaluate(_ data: ArrayData, batchSize: Int, verbose: Verbosity, callbacks: [Callback]) throws -> EvaluationResult {
        try prepareForData(data)
        return try evaluate(source: ArrayBatchSource(data: data, batchSize: batchSize), verbose: verbose, callbacks: callbacks)
    }

    /// Loss and metrics on a `Dataset` of (x, y) batches.
    public func evaluate(_ dataset: Dataset, verbose: Verbosity = .auto, callbacks: [Callback] = []) throws -> EvaluationResult {
        try dataset.requireEnd(for: "evaluate", fix: "evaluate a finite part, dataset.take(batches)")
        return try evaluate(DatasetBatchSource(dataset: dataset), verbose: verbose, callbacks: callbacks)
    }

    /// Loss and metrics (every key `testStep` returns) on the batches of a `BatchSource`.
    public func evaluate(_ source: BatchSource, verbose: Verbosity = .auto, callbacks: [Callback] = []) throws -> EvaluationResult {
        _ = try compiledOptimizer(for: "evaluate")
        _ = try outputSampleShapes(forInputs: try source.sampleShapes())
        return try evaluate(source: source, verbose: verbose, callbacks: callbacks)
    }

    /// Loss and the first compiled metric, for `let (loss, accuracy) = try model.evaluate(x, y)`.
    @_disfavoredOverload
    public func evaluate(_ x: Tensor, _ y: Tensor, batchSize: Int? = nil, verbose: Verbosity = .auto) throws
        -> (loss: Double, metric: Double) {
        let result: EvaluationResult = try evaluate(x, y, batchSize: batchSize, verbose: verbose)
        guard result.values.count >= 2 else {
            throw KestrelError.invalidState("evaluate: no metric was compiled, so there is no second value; compile with metrics: [.accuracy].")
        }
        return (result.values[0], result.values[1])
    }

    private func evaluate(source: BatchSource, verbose: Verbosity, callbacks: [Callback]) throws -> EvaluationResult {
        _ = try compiledOptimizer(for: "evaluate")
        let level = verbose.level
        var all = callbacks
        if level > 0 { all.insert(ProgbarLogger(verbose: level), at: 0) }
        let list = try CallbackList(all, model: self,
                                params: TrainingParameters(epochs: 1, steps: source.batchesPerPass ?? 0, verbose: level))
        let logs = try runEvaluation(source, callbacks: list)
        let compiled = ["loss"] + compiledMetrics.map(\.name)
        let names = compiled.filter { logs[$0] != nil } + logs.keys.filter { !compiled.contains($0) }.sorted()
        return EvaluationResult(names: names, values: names.map { logs[$0] ?? .nan })
    }

    /// Runs the test loop and returns the logs of its last `testStep` (the loss tracker and metrics are
    /// reset first).
    ///
    /// Array data is run forward in chunks of several batches (inference treats samples independently,
    /// and larger matrix products run faster); loss, metrics and the batch callbacks still advance one
    /// batch of `batchSize` at a time, so every logged value is the one Keras's loop would give.
    func runEvaluation(_ source: BatchSource, callbacks: CallbackList) throws -> [String: Double] {
        var logs: [String: Double] = [:]
        try callbacks.each("onTestBegin") { try $0.onTestBegin(logs: &logs) }
        resetMetrics()
        var step = 0
        var lastStepLogs: [String: Double]?
        func evaluateBatch(_ batch: Batch) throws {
            var batchLogs: [String: Double] = [:]
            try callbacks.each("onTestBatchBegin") { try $0.onTestBatchBegin(step, logs: &batchLogs) }
            batchLogs = try testStep(batch)
            lastStepLogs = batchLogs
            try callbacks.each("onTestBatchEnd") { try $0.onTestBatchEnd(step, logs: &batchLogs) }
            step += 1
        }
        defer { evaluationChunk = nil }
        if let arrays = source as? ArrayBatchSource {
            for chunk in arrays.makeInferenceChunks(maximumElements: Model.inferenceChunkElements) {
                let shared = EvaluationChunk(inputs: chunk.rows.inputs)
                evaluationChunk = shared
                var start = 0
                for size in chunk.batchSizes {
                    let rows = start..<(start + size)
                    start += size
                    shared.rows = rows
                    try evaluateBatch(try chunk.rows.slice(rows: rows))
                }
            }
        } else {
            evaluationChunk = nil
            var generator = RandomGenerator(seed: 0)
            for batch in try source.makePass(shuffled: false, generator: &generator) { try evaluateBatch(batch) }
        }
        logs = lastStepLogs ?? metricsResult()
        try callbacks.each("onTestEnd") { try $0.onTestEnd(logs: &logs) }
        return logs
    }

    /// About how many input values one inference chunk holds (1 Mi floats, 4 MiB): enough rows for
    /// efficient matrix products on small samples, a single batch for large images.
    static let inferenceChunkElements = 1 << 20
}
