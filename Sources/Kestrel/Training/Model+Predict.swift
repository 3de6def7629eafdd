extension Model {
    /// The model's outputs for `x`, computed in batches at inference (Keras's `predict`).
    public func predict(_ x: Tensor, batchSize: Int? = nil, verbose: Verbosity = .silent,
                        callbacks: [Callback] = []) throws -> Tensor {
        let batchSize = batchSize ?? 32
        guard batchSize > 0 else { throw KestrelError.invalidArgument("predict: batchSize must be positive, got \(batchSize).") }
        let data = try ArrayData.validated(inputs: [x], targets: [], sampleWeight: nil, context: "predict")
        // A batch larger than the data is one batch of all of it; clamping keeps the arithmetic below
        // from overflowing (`--batch-size 9223372036854775807`).
        let rowsPerBatch = min(batchSize, max(data.count, 1))
        try buildIfNeeded(inputShape: Array(x.shape.dropFirst()))
        let list = try CallbackList(callbacks, model: self,
                                params: TrainingParameters(epochs: 1, steps: (data.count + rowsPerBatch - 1) / rowsPerBatch, verbose: 0))
        var logs: [String: Double] = [:]
        try list.each("onPredictBegin") { try $0.onPredictBegin(logs: &logs) }
        let outputShape = try computeOutputShape(Array(x.shape.dropFirst()))
        let rowSize = outputShape.reduce(1, *)
        var outputs: [Tensor] = []
        var start = 0
        var step = 0
        while start < data.count {
            let end = min(start + rowsPerBatch, data.count)
            var batchLogs: [String: Double] = [:]
            try list.each("onPredictBatchBegin") { try $0.onPredictBatchBegin(step, logs: &batchLogs) }
            let results = try predictStep(Batch(x: try x.slice(rows: start..<end)))
            guard results.count == 1, let output = results.first, output.count == (end - start) * rowSize else {
                throw KestrelError.shapeMismatch(
                    "predict: predictStep returned shapes \(results.map(\.shape)) for \(end - start) samples; expected \([end - start] + outputShape).")
            }
            outputs.append(try output.detached.reshaped([end - start] + outputShape))
            try list.each("onPredictBatchEnd") { try $0.onPredictBatchEnd(step, logs: &batchLogs) }
            start = end
            step += 1
        }
        try list.each("onPredictEnd") { try $0.onPredictEnd(logs: &logs) }
        guard !outputs.isEmpty else { return try Tensor.zeros([0] + outputShape) }
        return try Tensor.concatenate(outputs, axis: 0)
    }

    /// The most likely class of each sample (`argmax` of `predict` over the last axis; for a single
    /// sigmoid output, 1 when above 0.5).
    public func predictClasses(_ x: Tensor, batchSize: Int? = nil) throws -> [Int] {
        let probabilities = try predict(x, batchSize: batchSize)
        if probabilities.shape.last == 1 { return probabilities.scalars.map { $0 > 0.5 ? 1 : 0 } }
        return try probabilities.argmaxIndices()
    }
}

extension Model {
    /// The model's outputs for every batch of `dataset` (its targets, if any, are ignored).
    public func predict(_ dataset: Dataset) throws -> Tensor {
        try dataset.requireEnd(for: "predict", fix: "predict on a finite part, dataset.take(batches)")
        var outputs: [Tensor] = []
        for element in dataset {
            let results = try predictStep(Batch(x: element.xTensor))
            guard results.count == 1 else {
                throw KestrelError.invalidArgument("predict: model '\(name)' has \(results.count) outputs; predict(dataset) gives one array, use predict([Tensor]).")
            }
            outputs.append(results[0])
        }
        guard !outputs.isEmpty else { throw KestrelError.invalidData("predict: the dataset yielded no batch.") }
        return try Tensor.concatenate(outputs, axis: 0).detached
    }
}
