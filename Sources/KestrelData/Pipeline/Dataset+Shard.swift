extension Dataset {
    /// The `index`-th of `count` disjoint parts of the dataset, as `tf.data.Dataset.shard(num_shards, index)`:
    /// element `i` belongs to shard `i % count`, so shard `index` yields elements `index`, `index + count`,
    /// `index + 2·count`… in order. Each process of a data-parallel run takes its own shard (its rank as
    /// `index`, the number of processes as `count`); shard before `shuffle` and `batch` so every process
    /// sees a fixed, disjoint set of samples.
    ///
    /// - Throws: `DataError` naming `count` when it is below 1, or `index` when it is outside `0..<count`.
    public func shard(count: Int, index: Int) throws -> Dataset {
        guard count >= 1 else { throw DataError.invalidArgument("count", "the number of shards must be at least 1, got \(count)") }
        guard index >= 0, index < count else {
            throw DataError.invalidArgument("index", "must be in 0..<\(count) (one less than the number of shards), got \(index)")
        }
        let upstream = self
        var result = Dataset(cardinality: cardinality.map { $0 > index ? ($0 - index - 1) / count + 1 : 0 }) {
            var iterator = upstream.makeIterator()
            var position = 0
            return DatasetIterator {
                while let element = iterator.next() {
                    defer { position += 1 }
                    if position % count == index { return element }
                }
                return nil
            }
        }
        result.classNames = classNames
        result.isReplayable = isReplayable
        return result
    }
}
