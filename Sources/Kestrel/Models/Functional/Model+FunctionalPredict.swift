extension Model {
    /// Predictions of a functional model with several inputs or outputs: one array per input (in
    /// `inputs` order, first dimension the samples), one array per output, in batches of `batchSize`.
    public func predict(_ inputs: [Tensor], batchSize: Int? = nil) throws -> [Tensor] {
        let batchSize = batchSize ?? 32
        guard batchSize > 0 else { throw KestrelError.invalidArgument("predict: batchSize must be positive, got \(batchSize).") }
        guard let graph else {
            guard inputs.count == 1 else {
                throw KestrelError.invalidArgument("predict: model '\(name)' takes one input but was given \(inputs.count) arrays.")
            }
            return [try predict(inputs[0], batchSize: batchSize)]
        }
        let count = try Self.sampleCount(of: inputs, names: inputNames, context: "predict")
        guard inputs.count == graph.inputs.count else {
            throw KestrelError.invalidArgument(
                "predict: model '\(name)' has \(graph.inputs.count) inputs (\(inputNames.joined(separator: ", "))) but was given \(inputs.count) arrays.")
        }
        var pieces = Array(repeating: [Tensor](), count: graph.outputs.count)
        var start = 0
        while start < count {
            let end = min(start + batchSize, count)
            let batch = try Batch(inputs: try inputs.map { try $0.slice(rows: start..<end) })
            let outputs = try predictStep(batch)
            guard outputs.count == graph.outputs.count else {
                throw KestrelError.shapeMismatch("predict: predictStep returned \(outputs.count) tensors; model '\(name)' has \(graph.outputs.count) outputs.")
            }
            for (index, output) in outputs.enumerated() {
                pieces[index].append(output.detached)
            }
            start = end
        }
        return try pieces.map { try Tensor.concatenate($0, axis: 0) }
    }

    /// Predictions keyed by output name for inputs keyed by input name (Keras's dictionary form).
    public func predict(_ inputs: [String: Tensor], batchSize: Int? = nil) throws -> [String: Tensor] {
        let results = try predict(try orderedInputs(inputs, context: "predict"), batchSize: batchSize)
        return Dictionary(uniqueKeysWithValues: zip(outputNames, results))
    }

    /// The common number of samples of `arrays`; throws naming the arrays when they differ or are empty.
    static func sampleCount(of arrays: [Tensor], names: [String], context: String) throws -> Int {
        guard let first = arrays.first else { throw KestrelError.invalidArgument("\(context): no input arrays were given.") }
        for (index, array) in arrays.enumerated() where array.rank == 0 || array.shape[0] != first.shape[0] {
            let name = index < names.count ? names[index] : "#\(index)"
            throw KestrelError.invalidData(
                "\(context): input '\(name)' has shape \(array.shape) but the first input has \(first.shape.first ?? 0) samples; every input needs the same number of samples.")
        }
        guard first.shape[0] > 0 else { throw KestrelError.invalidData("\(context): the inputs have no samples.") }
        return first.shape[0]
    }
}
