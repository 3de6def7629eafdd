extension Model {
    /// Loss and metrics on the given data (Keras's `evaluate`), in batches, without training behaviour.
    public func evaluate(_ x: Tensor, _ y: Tensor, batchSize: Int? = nil, verbose: Verbosity = .auto,
                         sampleWeight: Tensor? = nil, callbacks: [Callback] = []) throws -> EvaluationResult {
        let (_, loss) = try compiledState(for: "evaluate")
        let batchSize = batchSize ?? 32
        guard batchSize > 0 else { throw KestrelError.invalidArgument("evaluate: batchSize must be positive, got \(batchSize).") }
        let data = try ArrayData.validated(x: x, y: y, sampleWeight: sampleWeight, context: "evaluate")
        try prepareForData(data, loss: loss)
        let level = verbose.level
        var all = callbacks
        if level > 0 { all.insert(ProgbarLogger(verbose: level), at: 0) }
        let steps = (data.count + batchSize - 1) / batchSize
        let list = CallbackList(all, model: self, params: TrainingParameters(epochs: 1, steps: steps, verbose: level))
        let logs = try runEvaluation(data, batchSize: batchSize, loss: loss, callbacks: list)
        let names = ["loss"] + metrics.map(\.name)
        return EvaluationResult(names: names, values: names.map { logs[$0] ?? .nan })
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

    /// Runs the test loop and returns `loss` and metric values (metrics are reset first).
    func runEvaluation(_ data: ArrayData, batchSize: Int, loss: Loss, callbacks: CallbackList) throws -> [String: Double] {
        var logs: [String: Double] = [:]
        callbacks.each { $0.onTestBegin(logs: &logs) }
        for metric in metrics { metric.resetState() }
        var tracker = RunningMean()
        var start = 0
        var step = 0
        while start < data.count {
            let end = min(start + batchSize, data.count)
            var batchLogs: [String: Double] = [:]
            callbacks.each { $0.onTestBatchBegin(step, logs: &batchLogs) }
            let batch = try data.batch(Array(start..<end))
            let predictions = try self(batch.x, training: false)
            if let y = batch.y {
                var value = try weightedMeanLoss(loss.perSample(yTrue: y, yPred: predictions), sampleWeight: batch.sampleWeight)
                if let penalty = try regularizationLosses() { value = try value + penalty }
                tracker.add(Double(value.scalar ?? .nan), weight: Double(end - start))
                for metric in metrics { try metric.updateState(yTrue: y, yPred: predictions, sampleWeight: batch.sampleWeight) }
            }
            batchLogs = currentLogs(loss: tracker.value)
            callbacks.each { $0.onTestBatchEnd(step, logs: &batchLogs) }
            start = end
            step += 1
        }
        logs = currentLogs(loss: tracker.value)
        callbacks.each { $0.onTestEnd(logs: &logs) }
        return logs
    }
}
