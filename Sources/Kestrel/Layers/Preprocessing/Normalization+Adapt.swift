extension Normalization {
    /// Computes the mean and variance of `data` (a batch: the first axis is the samples) for each index of
    /// the kept axes and stores them as the layer's weights — Keras's `adapt` on an array (population
    /// variance, as `np.var`). Builds the layer for `data`'s sample shape when needed.
    public func adapt(_ data: Tensor) throws {
        try adapt(batches: [data])
    }

    /// `adapt` over a batched dataset's features (Keras's `adapt(train_ds.map(lambda x, y: x))`): each
    /// element is one batch, read once, so the data need not fit in memory.
    public func adapt(_ dataset: Dataset) throws {
        try adapt(batches: dataset.lazy.map(\.xTensor))
    }

    /// `adapt` over several batches, combined as Keras combines them (the running mean and the
    /// lack-of-fit sum of squares), so the result equals adapting on their concatenation.
    public func adapt<Batches: Sequence>(batches: Batches) throws where Batches.Element == Tensor {
        guard givenMean == nil else {
            throw KestrelError.invalidState("Normalization '\(name)' was given its mean and variance; adapt() applies only to a layer made without them.")
        }
        var iterator = batches.makeIterator()
        guard let first = iterator.next() else {
            throw KestrelError.invalidArgument("Normalization '\(name)': adapt() received no batches; pass the training features.")
        }
        guard first.rank >= 1 else {
            throw KestrelError.invalidArgument("Normalization '\(name)': adapt() needs a batch of samples, got a scalar.")
        }
        try buildIfNeeded(inputShape: Array(first.shape.dropFirst()))
        guard let adaptMean, let adaptVariance else {
            throw KestrelError.invalidState("Normalization '\(name)' has no statistics weights.")
        }
        let size = adaptMean.shape.reduce(1, *)
        var totalMean = [Double](repeating: 0, count: size)
        var totalVariance = [Double](repeating: 0, count: size)
        var totalCount = 0
        var pending: Tensor? = first
        while let batch = pending ?? iterator.next() {
            pending = nil
            guard Array(batch.shape.dropFirst()) == builtInputShape else {
                throw KestrelError.shapeMismatch(
                    "Normalization '\(name)' was built for samples \(LayerNaming.format(builtInputShape ?? [])) but adapt() got a batch \(LayerNaming.format(batch.shape, batch: false)); give batches of the same sample shape.")
            }
            let (mean, variance, count) = try statistics(of: batch, size: size)
            guard count > 0 else { continue }
            totalCount += count
            let batchWeight = Double(count) / Double(totalCount)
            let existingWeight = 1 - batchWeight
            for index in 0..<size {
                let newMean = totalMean[index] * existingWeight + mean[index] * batchWeight
                let oldShift = totalMean[index] - newMean, batchShift = mean[index] - newMean
                totalVariance[index] = (totalVariance[index] + oldShift * oldShift) * existingWeight
                    + (variance[index] + batchShift * batchShift) * batchWeight
                totalMean[index] = newMean
            }
        }
        guard totalCount > 0 else {
            throw KestrelError.invalidArgument("Normalization '\(name)': adapt() received no samples; pass the training features.")
        }
        guard totalMean.allSatisfy(\.isFinite), totalVariance.allSatisfy(\.isFinite) else {
            throw KestrelError.invalidArgument("Normalization '\(name)': adapt() data hold NaN or infinite values; drop or fill them first.")
        }
        try adaptMean.assign(try Tensor(shape: adaptMean.shape, scalars: totalMean.map { Float($0) }))
        try adaptVariance.assign(try Tensor(shape: adaptVariance.shape, scalars: totalVariance.map { Float($0) }))
    }

    /// Mean and population variance of `batch` per index of the kept axes (in Double), and how many
    /// values each index averaged.
    private func statistics(of batch: Tensor, size: Int) throws -> (mean: [Double], variance: [Double], count: Int) {
        let shape = batch.shape
        let kept = try keptAxes(rank: shape.count)
        // Each element's index into the statistics: its coordinates on the kept axes, row-major.
        var keptStrides = [Int](repeating: 0, count: shape.count)
        var stride = 1
        for axis in kept.reversed() {
            keptStrides[axis] = stride
            stride *= shape[axis]
        }
        let values = batch.scalars
        guard !values.isEmpty else { return ([Double](repeating: 0, count: size), [Double](repeating: 0, count: size), 0) }
        var slot = [Int](repeating: 0, count: values.count)
        var coordinates = [Int](repeating: 0, count: shape.count)
        for element in values.indices {
            var index = 0
            for axis in kept { index += coordinates[axis] * keptStrides[axis] }
            slot[element] = index
            var axis = shape.count - 1
            while axis >= 0 {
                coordinates[axis] += 1
                if coordinates[axis] < shape[axis] { break }
                coordinates[axis] = 0
                axis -= 1
            }
        }
        let perIndex = values.count / size
        var mean = [Double](repeating: 0, count: size)
        for element in values.indices { mean[slot[element]] += Double(values[element]) }
        for index in 0..<size { mean[index] /= Double(perIndex) }
        var variance = [Double](repeating: 0, count: size)
        for element in values.indices {
            let difference = Double(values[element]) - mean[slot[element]]
            variance[slot[element]] += difference * difference
        }
        for index in 0..<size { variance[index] /= Double(perIndex) }
        return (mean, variance, perIndex)
    }
}
