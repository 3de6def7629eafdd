/// One mini-batch as the training loop sees it.
struct Batch {
    let x: Tensor
    let y: Tensor?
    let sampleWeight: Tensor?
    var count: Int { x.shape.first ?? 0 }
}

/// Where `fit` and `evaluate` get their batches from: arrays cut by the loop, or a `Dataset`.
protocol BatchSource {
    /// Batches in one full pass, when known.
    var batchesPerPass: Int? { get }
    /// Whether a pass can be made again, in a new process, with the same batches in the same order
    /// (so an epoch can be resumed part-way exactly).
    var isReplayable: Bool { get }
    /// Passes `sampleShape()` makes (a `Dataset` reads its first element from a pass of its own).
    var probePasses: Int { get }
    /// Makes a pass and drops it, so that a dataset whose passes differ (reshuffled, augmented per
    /// pass) reaches the same pass a longer run had reached; nothing for arrays.
    func skipPass()
    /// The shape of one input sample, from the data.
    func sampleShape() throws -> [Int]
    /// A fresh pass over the data; `shuffled` passes reorder samples with `generator`.
    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch>
    /// An unshuffled pass whose batches come grouped into contiguous chunks of about
    /// `maximumElements` input values (at least one batch each), for inference in larger products;
    /// nil when the source cannot cut such chunks without copying.
    func makeInferenceChunks(maximumElements: Int) -> AnyIterator<BatchChunk>?
}

extension BatchSource {
    func makeInferenceChunks(maximumElements: Int) -> AnyIterator<BatchChunk>? { nil }
}

/// Consecutive batches held as one batch: `batchSizes` says how many rows each logical batch has.
struct BatchChunk {
    let rows: Batch
    let batchSizes: [Int]
}

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

    func sampleShape() throws -> [Int] { Array(data.x.shape.dropFirst()) }

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
            guard let batch = try? data.batch(Array(order[position..<end])) else { return nil }
            return Batch(x: batch.x, y: batch.y, sampleWeight: batch.sampleWeight)
        }
    }

    func makeInferenceChunks(maximumElements: Int) -> AnyIterator<BatchChunk>? {
        let rowSize = max(data.x.count / max(data.count, 1), 1)
        let (batchElements, overflow) = rowSize.multipliedReportingOverflow(by: batchSize)
        let batchesPerChunk = overflow ? 1 : max(1, maximumElements / batchElements)
        var position = 0
        let data = self.data, batchSize = self.batchSize
        return AnyIterator {
            guard position < data.count else { return nil }
            let remaining = data.count - position
            let end = batchesPerChunk >= (remaining + batchSize - 1) / batchSize ? data.count : position + batchesPerChunk * batchSize
            defer { position = end }
            let range = position..<end
            // Errors cannot occur here: the range lies inside the data.
            guard let x = try? data.x.slice(rows: range) else { return nil }
            let y = data.y.flatMap { try? $0.slice(rows: range) }
            let sampleWeight = data.sampleWeight.flatMap { try? $0.slice(rows: range) }
            let sizes = stride(from: 0, to: range.count, by: batchSize).map { min(batchSize, range.count - $0) }
            return BatchChunk(rows: Batch(x: x, y: y, sampleWeight: sampleWeight), batchSizes: sizes)
        }
    }
}

/// A `Dataset` whose elements are already batches (as `Dataset.batch(_:)` and `ImageDataGenerator.flow` make).
struct DatasetBatchSource: BatchSource {
    let dataset: Dataset

    var batchesPerPass: Int? { dataset.cardinality }
    /// A seeded `Dataset` draws each pass's order and augmentation from (seed, pass number), so a new
    /// process that makes as many passes replays it; an unseeded one cannot be replayed.
    var isReplayable: Bool { dataset.isReplayable }
    var probePasses: Int { 1 }
    func skipPass() { _ = dataset.makeIterator() }

    func sampleShape() throws -> [Int] {
        guard let first = dataset.take(1).collect().first else {
            throw KestrelError.invalidData("The dataset is empty; it must yield at least one batch.")
        }
        return Array(first.xShape.dropFirst())
    }

    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> {
        var iterator = dataset.makeIterator()
        return AnyIterator {
            guard let element = iterator.next() else { return nil }
            return Batch(x: element.xTensor, y: element.yTensor, sampleWeight: nil)
        }
    }
}
