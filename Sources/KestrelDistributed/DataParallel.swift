import Foundation
import Kestrel
import KestrelTensor

/// Data-parallel training over a `Communicator` (Horovod's recipe): rank 0's weights are broadcast
/// when `fit` starts; every rank draws the same global batches (the same seeded shuffle) and trains on
/// its own contiguous rows of each; the gradients are averaged by a fused all-reduce before the
/// optimizer runs, so the weights stay bit-identical on all ranks; the loss and metric states are summed
/// over the ranks so the logs (and `History`) are those of the whole global batch.
///
/// Use it through `fit(…, distribution: .dataParallel())`, which also multiplies the batch size by the
/// number of ranks (the per-rank batch × ranks = the global batch) and leaves printing and file-writing
/// callbacks to rank 0. Non-trainable weights (BatchNormalization's moving statistics) are copied from
/// rank 0 after every step: identical on all ranks, but computed from rank 0's rows only, so a model
/// with BatchNormalization does not reproduce the single-process run exactly.
public final class DataParallel: TrainingDistribution, @unchecked Sendable {
    /// The group training together.
    public let communicator: any Communicator
    /// The transform `fit` installs in `Model.gradientTransforms` while it runs.
    public let averager: GradientAverager

    /// Data parallelism over `communicator`, averaging gradients in buckets of `bucketBytes`.
    public init(communicator: any Communicator, bucketBytes: Int = 64 << 20) {
        self.communicator = communicator
        self.averager = GradientAverager(communicator: communicator, bucketBytes: bucketBytes)
    }

    /// This process's rank.
    public var rank: Int { communicator.rank }
    /// The number of ranks.
    public var size: Int { communicator.size }

    /// Checks that every rank holds the same model shape and starting epoch, then copies rank 0's
    /// weights to every rank.
    public func trainingWillBegin(_ model: Model) throws {
        let variables = model.weights
        var layout = [Double(variables.count), Double(variables.reduce(0) { $0 + $1.value.count }),
                      Double(model.trainingSession?.initialEpoch ?? 0)]
        var lowest = layout.map { -$0 }
        try communicator.allreduceMax(&layout)
        try communicator.allreduceMax(&lowest)
        guard zip(layout, lowest).allSatisfy({ $0 == -$1 }) else {
            throw DistributedError(rank: rank, "the ranks disagree on the model or the starting epoch (weights, scalars, epoch: "
                + "from \(lowest.map { -$0 }) to \(layout)); every rank must build the same model and resume from the same backup.")
        }
        var values = variables.flatMap { $0.value.scalars }
        try communicator.broadcast(&values, root: 0)
        try assign(values, to: variables)
    }

    /// Trains on this rank's rows of the global batch (`model.trainStep` with the averaging transform
    /// installed), then copies rank 0's non-trainable weights to every rank. A rank left without rows (a last batch
    /// smaller than the number of ranks) still joins the all-reduce with zero gradients.
    public func trainStep(_ model: Model, _ batch: Batch) throws -> [String: Double] {
        let rows = localRows(ofGlobalBatch: batch.count)
        averager.localRows = rows.count
        model.gradientTransforms.insert(averager, at: 0)
        defer { model.gradientTransforms.removeAll { $0 as AnyObject === averager } }
        var logs: [String: Double]
        if rows.isEmpty {
            let variables = model.trainableWeights
            try model.applyGradients(try variables.map { try Tensor(shape: $0.shape, scalars: [Float](repeating: 0, count: $0.value.count)) },
                                     to: variables)
            logs = model.metricsResult()
        } else {
            logs = try model.trainStep(try batch.slice(rows: rows))
        }
        try synchronizeNonTrainable(model)
        return logs
    }

    /// The epoch's logs of the whole global batches: the loss tracker's and every metric's state summed
    /// over the ranks; any other key (a custom step's) averaged over the ranks, in sorted key order.
    public func combinedLogs(_ model: Model, local: [String: Double]) throws -> [String: Double] {
        let trackers = [model.lossTracker] + model.metrics
        var sums: [Double] = trackers.flatMap(\.stateValues)
        let trackedNames = Set(["loss"] + model.metrics.map(\.name))
        let otherKeys = local.keys.filter { !trackedNames.contains($0) }.sorted()
        sums.append(contentsOf: otherKeys.map { local[$0]! / Double(size) })
        try communicator.allreduceSum(&sums)
        var logs = local
        var offset = 0
        for tracker in trackers {
            let own = tracker.stateValues
            try tracker.restoreStateValues(Array(sums[offset..<(offset + own.count)]))
            let name = tracker === model.lossTracker ? "loss" : tracker.name
            if local[name] != nil { logs[name] = tracker.result() }
            try tracker.restoreStateValues(own)
            offset += own.count
        }
        for key in otherKeys {
            logs[key] = sums[offset]
            offset += 1
        }
        return logs
    }

    /// True on every rank when any rank's `stop` is true.
    public func anyRankStops(_ stop: Bool) throws -> Bool {
        var flag = [stop ? 1.0 : 0]
        try communicator.allreduceMax(&flag)
        return flag[0] > 0
    }

    /// The contiguous rows of a global batch of `count` rows that this rank trains on: rank r gets
    /// ⌊r·count/size⌋ ..< ⌊(r+1)·count/size⌋.
    public func localRows(ofGlobalBatch count: Int) -> Range<Int> {
        let (size, rank) = (self.size, self.rank)
        return (count * rank / size)..<(count * (rank + 1) / size)
    }

    /// Copies rank 0's non-trainable weights (BatchNormalization's moving statistics) to every rank, so
    /// the weights stay bit-identical: as in Horovod without synchronised batch normalisation, the
    /// statistics are those of rank 0's rows (an average over ranks could differ from every rank's in
    /// the last bit, and frozen weights would drift by rounding).
    private func synchronizeNonTrainable(_ model: Model) throws {
        let variables = model.nonTrainableWeights
        guard size > 1, !variables.isEmpty else { return }
        var values = variables.flatMap { $0.value.scalars }
        try communicator.broadcast(&values, root: 0)
        try assign(values, to: variables)
    }

    private func assign(_ values: [Float], to variables: [Variable]) throws {
        var offset = 0
        for variable in variables {
            let count = variable.value.count
            try variable.assign(try Tensor(shape: variable.shape, scalars: Array(values[offset..<(offset + count)])))
            offset += count
        }
    }
}
