/// A `Dataset` of (x, y) batches as a batch source.
struct DatasetBatchSource: BatchSource {
    let dataset: Dataset

    var batchesPerPass: Int? { dataset.cardinality }
    /// A seeded `Dataset` draws each pass's order and augmentation from (seed, pass number), so a new
    /// process that makes as many passes replays it; an unseeded one cannot be replayed.
    var isReplayable: Bool { dataset.isReplayable }
    var probePasses: Int { 1 }
    func skipPass() { _ = dataset.makeIterator() }

    func sampleShapes() throws -> [[Int]] {
        guard let first = dataset.take(1).collect().first else {
            throw KestrelError.invalidData("The dataset is empty; it must yield at least one batch.")
        }
        return [Array(first.xShape.dropFirst())]
    }

    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> {
        var iterator = dataset.makeIterator()
        return AnyIterator {
            guard let element = iterator.next() else { return nil }
            return Batch(x: element.xTensor, y: element.yTensor)
        }
    }
}
