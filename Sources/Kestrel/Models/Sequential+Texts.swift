import KestrelData

/// A `Sequential` whose first layer is a `TextVectorization` takes strings, as Keras's
/// `Sequential([vectorize_layer, model, Activation("sigmoid")])` export model of the text
/// classification tutorial does: the texts are vectorized by that layer, then run through the rest.
extension Sequential {
    /// The first layer as a `TextVectorization` and the remaining layers, for string inputs.
    private func textParts(_ operation: String) throws -> (TextVectorization, [Layer]) {
        guard let vectorizer = layers.first as? TextVectorization else {
            throw KestrelError.invalidArgument("\(operation)(texts:): model '\(name)' does not start with a TextVectorization layer, so it takes number tensors; vectorize the texts first.")
        }
        // Building for one text per sample gives the model an input shape, so save() can write it.
        try buildIfNeeded(inputShape: [1])
        return (vectorizer, Array(layers.dropFirst()))
    }

    /// Keras's `predict` on strings: the model's outputs for `texts`.
    public func predict(texts: [String], batchSize: Int? = nil) throws -> Tensor {
        let (vectorizer, rest) = try textParts("predict")
        let tail = try Sequential(rest)
        return try tail.predict(try vectorizer(texts), batchSize: batchSize)
    }

    /// Keras's `evaluate` on strings and their labels, with this model's compiled loss and metrics.
    public func evaluate(texts: [String], labels: Tensor, batchSize: Int? = nil, verbose: Verbosity = .auto) throws -> EvaluationResult {
        let (vectorizer, rest) = try textParts("evaluate")
        guard let loss, let optimizer else {
            throw KestrelError.invalidState("evaluate(texts:): model '\(name)' is not compiled; call compile(optimizer:loss:metrics:) first.")
        }
        let tail = try Sequential(rest)
        try tail.compile(optimizer: optimizer, loss: loss, metrics: metrics)
        return try tail.evaluate(try vectorizer(texts), labels, batchSize: batchSize, verbose: verbose)
    }

    /// Keras's `evaluate` on a labelled `TextDataset` (the tutorial's `export_model.evaluate(raw_test_ds)`).
    public func evaluate(_ dataset: TextDataset, verbose: Verbosity = .auto) throws -> EvaluationResult {
        guard let labels = try dataset.labels(0..<dataset.count) else {
            throw KestrelError.invalidArgument("evaluate: the text dataset has no labels (labelMode nil); evaluate needs them.")
        }
        return try evaluate(texts: dataset.texts, labels: labels, batchSize: dataset.batchSize, verbose: verbose)
    }
}
