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

    /// Data parallelism over `communicator`, averaging gradients in buckets of `bucketBytes` (default
    /// 25 MiB), during the backward pass unless `overlapsBackward` is false (default:
    /// `KESTREL_OVERLAP_ALLREDUCE`, else on; see `GradientAverager`).
    public init(communicator: any Communicator, bucketBytes: Int = 25 << 20, overlapsBackward: Bool? = nil) {
        self.communicator = communicator
        self.averager = GradientAverager(communicator: communicator, bucketBytes: bucketBytes, overlapsBackward: overlapsBackward)
    }

    /// This process's rank.
    public var rank: Int { communicator.rank }
    /// The number of ranks.
    public var size: Int { communicator.size }

    /// Checks that every rank runs the same Kestrel version, model (every weight's shape, in order; not
    /// the names, which count the layers a process made before),
    /// starting epoch and number of batches per epoch — else every rank throws an error naming the ranks
    /// that differ — then copies rank 0's weights to every rank.
    public func trainingWillBegin(_ model: Model, source: BatchSource) throws {
        let variables = model.weights
        try RankAgreement.check([
            .init("Kestrel version", Kestrel.version),
            .init("model", "\(variables.count) weights, \(variables.reduce(0) { $0 + $1.value.count }) values: "
                + variables.map { "\($0.shape)" }.joined(separator: ", ")),
            .init("starting epoch", String((model.trainingSession?.initialEpoch ?? 0) + 1)),
            .init("batches per epoch", source.batchesPerPass.map(String.init) ?? "unknown"),
        ], over: communicator, fix: "Every rank must run the same program and Kestrel build on the same data, and resume from the same backup.")
        var values = variables.flatMap { $0.value.scalars }
        try communicator.broadcast(&values, root: 0)
        try assign(values, to: variables)
    }

    /// Each rank's part of the validation data: its rows of every validation batch (see `localRows`).
    public func validationSource(_ source: BatchSource) throws -> BatchSource {
        let (rank, size) = (self.rank, self.size)
        return RankSliceSource(source: source) { count in Self.rows(ofGlobalBatch: count, rank: rank, size: size) }
    }

    /// Trains on this rank's rows of the global batch (`model.trainStep` with the averaging transform
    /// installed), then copies rank 0's non-trainable weights to every rank. A rank left without rows (a last batch
    /// smaller than the number of ranks) still joins the all-reduce with zero gradients.
    public func trainStep(_ model: Model, _ batch: Batch) throws -> [String: Double] {
        if model.trainingSession?.batchesDone == 0 { try checkSameBatch(batch, epoch: model.trainingSession?.epoch ?? 0) }
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
            let slice = try batch.slice(rows: rows)
            logs = try averager.observingBackward(of: model.trainableWeights) { try model.trainStep(slice) }
        }
        try synchronizeNonTrainable(model)
        return logs
    }

    /// The epoch's logs of the whole global batches: the loss tracker's and every metric's state summed
    /// over the ranks; any other key (a custom step's) averaged over the ranks, in sorted key order.
    public func combinedLogs(_ model: Model, local: [String: Double]) throws -> [String: Double] {
        let trackers = [model.lossTracker] + model.compiledMetrics
        var sums: [Double] = trackers.flatMap(\.stateValues)
        let trackedNames = Set(["loss"] + model.compiledMetrics.map(\.name))
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
    public func localRows(ofGlobalBatch count: Int) -> Range<Int> { Self.rows(ofGlobalBatch: count, rank: rank, size: size) }

    private static func rows(ofGlobalBatch count: Int, rank: Int, size: Int) -> Range<Int> {
        (count * rank / size)..<(count * (rank + 1) / size)
    }

    /// Checks, at the first step of every epoch, that every rank drew the same global batch: the same
    /// shapes and the same sums of its inputs and targets. A rank whose data or shuffle differs (an
    /// unseeded shuffle, a different file) would otherwise train on rows the others also train on.
    private func checkSameBatch(_ batch: Batch, epoch: Int) throws {
        func describe(_ tensors: [Tensor]) -> String {
            tensors.map { tensor in "\(tensor.shape) sum \(tensor.scalars.reduce(0.0) { $0 + Double($1) })" }.joined(separator: ", ")
        }
        try RankAgreement.check([
            .init("first batch of epoch \(epoch + 1): inputs", describe(batch.inputs)),
            .init("first batch of epoch \(epoch + 1): targets", describe(batch.targets)),
        ], over: communicator, fix: "Every rank must draw the same global batches: the same data, and the same seed for the "
            + "shuffle (Kestrel.setRandomSeed(_:) before fit, or Dataset.shuffle(bufferSize:seed:)) on every rank; do not shard "
            + "the data, each rank takes its own rows of every global batch.")
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
