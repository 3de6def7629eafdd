/// Arrays cut into batches of `batchSize` (shuffled per pass when asked).
struct ArrayBatchSource: BatchSource {
    let data: ArrayData
    let batchSize: Int

    /// A batch size above the sample count gives one batch of every sample (as in Keras), so it is
    /// clamped to the count here: `--batch-size 9223372036854775807` cannot overflow the batch
    /// arithmetic below (`position + batchSize`, `count + batchSize - 1`, `rowSize * batchSize`).
    init(data: ArrayData, batchSize: Int) {
        self.data = data
        self.batchSize = min(max(batchSize, 1), max(data.count, 1))
    }

    var batchesPerPass: Int? { (data.count + batchSize - 1) / batchSize }
    /// The order comes from the shuffle generator `fit` saves, so a pass can be replayed.
    var isReplayable: Bool { true }
    var probePasses: Int { 0 }
    func skipPass() {}

    func sampleShapes() throws -> [[Int]] { data.inputs.map { Array($0.shape.dropFirst()) } }

    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> {
        var order = Array(0..<data.count)
        if shuffled { order.shuffle(using: &generator) }
        var position = 0
        let data = self.data, batchSize = self.batchSize
        return AnyIterator {
            guard position < order.count else { return nil }
            let end = min(position + batchSize, order.count)
            defer { position = end }
            // Errors cannot occur here: indices come from 0..<count.
            return try? data.batch(Array(order[position..<end]))
        }
    }

    /// An unshuffled pass whose batches come grouped into contiguous chunks of about `maximumElements`
    /// input values (at least one batch each), for inference in larger products.
    func makeInferenceChunks(maximumElements: Int) -> AnyIterator<BatchChunk> {
        let rowSize = max(data.inputs.reduce(0) { $0 + $1.count } / max(data.count, 1), 1)
        let (batchElements, overflow) = rowSize.multipliedReportingOverflow(by: batchSize)
        // Batches of more than a quarter of a chunk (images) run one at a time: they are large enough for
        // efficient products, and a chunk of several would keep a second, larger set of activations
        // beside the training step's (CIFAR-10 at batch 128: about 355 MB).
        let batchesPerChunk = overflow || batchElements > maximumElements / 4 ? 1 : max(1, maximumElements / batchElements)
        var position = 0
        let data = self.data, batchSize = self.batchSize
        return AnyIterator {
            guard position < data.count else { return nil }
            let remaining = data.count - position
            let end = batchesPerChunk >= (remaining + batchSize - 1) / batchSize ? data.count : position + batchesPerChunk * batchSize
            defer { position = end }
            let range = position..<end
            // Errors cannot occur here: the range lies inside the data.
            guard let rows = try? data.batch(range) else { return nil }
            let sizes = stride(from: 0, to: range.count, by: batchSize).map { min(batchSize, range.count - $0) }
            return BatchChunk(rows: rows, batchSizes: sizes)
        }
    }
}

/// Consecutive batches held as one batch: `batchSizes` says how many rows each logical batch has.
struct BatchChunk {
    let rows: Batch
    let batchSizes: [Int]
}
