import KestrelTensor

extension ImageDataGenerator {
    /// The batches `flow` and `flowFromDirectory` yield: `count` samples in batches of `batchSize`, in an order
    /// shuffled per epoch (from `seed`, else at random), each batch augmented with a generator of its own.
    /// `gather` makes one batch's images, targets and target shape from its sample indices.
    func augmentedBatches(count: Int, batchSize: Int, shuffle: Bool, seed: UInt64?,
                          gather: @escaping @Sendable (ArraySlice<Int>) -> (images: ImageBatch, targets: [Float], targetShape: [Int]))
        -> Dataset {
        let settings = self
        let baseSeed = seed ?? UInt64.random(in: 0...UInt64.max)
        let epochs = EpochCounter()
        let batchCount = (count + batchSize - 1) / batchSize
        var dataset = Dataset(cardinality: batchCount) {
            let epoch = epochs.next()
            var order = Array(0..<count)
            if shuffle {
                var shuffler = RandomGenerator(seed: baseSeed, indices: epoch, -1)
                order.shuffle(using: &shuffler)
            }
            var batchIndex = 0
            return DatasetIterator {
                guard batchIndex < batchCount else { return nil }
                defer { batchIndex += 1 }
                let batch = gather(order[(batchIndex * batchSize)..<Swift.min((batchIndex + 1) * batchSize, count)])
                var generator = RandomGenerator(seed: baseSeed, indices: epoch, batchIndex)
                let augmented = (try? settings.augment(batch.images, generator: &generator)) ?? batch.images
                return DataElement(x: augmented.pixels, xShape: augmented.shape, y: batch.targets, yShape: batch.targetShape)
            }
        }
        // Unseeded, the order and the augmentation differ in every process.
        dataset.isReplayable = seed != nil
        return dataset
    }
}
