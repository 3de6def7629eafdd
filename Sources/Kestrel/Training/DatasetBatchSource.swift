/// A `Dataset` of (x, y) batches as a batch source (its first batch gives the sample shape).
struct DatasetBatchSource: BatchSource {
    let dataset: Dataset

    var batchesPerPass: Int? { dataset.cardinality }
    /// A seeded `Dataset` draws each pass's order and augmentation from (seed, pass number), so a new
    /// process that makes as many passes replays it; an unseeded one cannot be replayed.
    var isReplayable: Bool { dataset.isReplayable }

    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> {
        var iterator = dataset.makeIterator()
        return AnyIterator { iterator.next().map { Batch(x: $0.xTensor, y: $0.yTensor) } }
    }
}

extension Dataset {
    /// Throws, naming `operation`, when iterating the dataset never ends (`repeat()` without a count): one
    /// pass would run for ever. `fix` says what to give instead (Keras raises the same way).
    func requireEnd(for operation: String, fix: String) throws {
        guard isEndless else { return }
        throw KestrelError.invalidArgument("\(operation): the dataset repeats without end (repeat() without a count); \(fix).")
    }
}
