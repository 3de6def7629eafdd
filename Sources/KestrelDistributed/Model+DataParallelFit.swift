import Foundation
import Kestrel
import KestrelTensor

extension Model {
    /// `fit` spread over the processes of `distribution` (run the program under
    /// `mpirun -np N`): each step trains on `batchSize` rows per rank, so the global batch is
    /// `batchSize × N` and, as Keras's and Horovod's guides advise, the learning rate usually scales with
    /// N (with a warm-up for large N). Every rank must call it with the same data, model and seed.
    ///
    /// Rank 0 alone prints (`verbose` is silent elsewhere) and keeps the callbacks that write files
    /// (`CSVLogger`, `ModelCheckpoint`, `TensorBoard`, `BackupAndRestore`); the others keep the rest,
    /// which see the same combined logs and so decide alike (EarlyStopping). A backup is read by rank 0
    /// and sent to every rank, so a relaunched job resumes on all ranks (`saveFreq: .epoch` only).
    /// Validation is split too: each rank evaluates `validationBatchSize` (default `batchSize`) rows of
    /// every global validation batch and the loss and metric states are summed, so `val_` keys are
    /// those of the whole validation data. The other arguments are `fit(_:_:…)`'s.
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, verbose: Verbosity = .auto,
                    validationSplit: Double = 0, validationData: (Tensor, Tensor)? = nil, callbacks: [Callback] = [],
                    shuffle: Bool = true, classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil,
                    initialEpoch: Int = 0, validationBatchSize: Int? = nil, validationFreq: Int = 1,
                    distribution: DistributionStrategy) throws -> History {
        let communicator = try Self.communicator(distribution)
        let globalBatch = try Self.global(batchSize ?? 32, "batchSize", communicator)
        let globalValidationBatch = try Self.global(validationBatchSize ?? batchSize ?? 32, "validationBatchSize", communicator)
        return try distributed(distribution, communicator, callbacks, resumableMidEpoch: true) { callbacks in
            try fit(x, y, epochs: epochs, batchSize: globalBatch, verbose: communicator.isRoot ? verbose : .silent,
                    validationSplit: validationSplit, validationData: validationData, callbacks: callbacks,
                    shuffle: shuffle, classWeight: classWeight, sampleWeight: sampleWeight, initialEpoch: initialEpoch,
                    validationBatchSize: globalValidationBatch, validationFreq: validationFreq)
        }
    }

    /// `fit` on a `Dataset` spread over the processes of `distribution`, with tf.distribute's meaning:
    /// the dataset's batches are the **global** batches (build it the same way, with the same seeds, on
    /// every rank), and each rank trains on its contiguous rows of each one — rank r of N on rows
    /// ⌊r·B/N⌋ ..< ⌊(r+1)·B/N⌋ of a batch of B. A `validationData` dataset is split the same way. At
    /// the first step of every epoch the ranks check that they drew the same batch (shapes and sums),
    /// and stop with an error naming the rank that did not (an unseeded shuffle, other data). The
    /// other arguments are `fit(_:epochs:…)`'s; printing, files and backups as in the array form.
    @discardableResult
    public func fit(_ dataset: Dataset, epochs: Int = 1, verbose: Verbosity = .auto, validationData: Dataset? = nil,
                    callbacks: [Callback] = [], initialEpoch: Int = 0, stepsPerEpoch: Int? = nil,
                    validationFreq: Int = 1, distribution: DistributionStrategy) throws -> History {
        let communicator = try Self.communicator(distribution)
        let replayable = dataset.isReplayable && dataset.cardinality != nil && stepsPerEpoch == nil
        return try distributed(distribution, communicator, callbacks, resumableMidEpoch: replayable) { callbacks in
            try fit(dataset, epochs: epochs, verbose: communicator.isRoot ? verbose : .silent, validationData: validationData,
                    callbacks: callbacks, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq)
        }
    }

    /// Runs `fit` with `DataParallel` installed (for more than one rank) and each rank's callbacks.
    private func distributed(_ distribution: DistributionStrategy, _ communicator: any Communicator, _ callbacks: [Callback],
                             resumableMidEpoch: Bool, fit: ([Callback]) throws -> History) throws -> History {
        guard case .dataParallel(_, let bucketBytes) = distribution else { throw KestrelError.invalidArgument("fit: unknown distribution.") }
        let previous = self.distribution
        self.distribution = communicator.size > 1 ? DataParallel(communicator: communicator, bucketBytes: bucketBytes) : nil
        defer { self.distribution = previous }
        guard communicator.size > 1 else { return try fit(callbacks) }
        let backups = try DistributedBackups(callbacks, communicator: communicator, resumableMidEpoch: resumableMidEpoch)
        defer { backups.removeCopies() }
        return try fit(backups.callbacks)
    }

    private static func communicator(_ distribution: DistributionStrategy) throws -> any Communicator {
        guard case .dataParallel(let given, _) = distribution else { throw KestrelError.invalidArgument("fit: unknown distribution.") }
        return try given ?? Communicators.world()
    }

    /// `perRank × ranks`, checked.
    private static func global(_ perRank: Int, _ name: String, _ communicator: any Communicator) throws -> Int {
        guard perRank > 0 else { throw KestrelError.invalidArgument("fit: \(name) must be positive, got \(perRank).") }
        let (global, overflow) = perRank.multipliedReportingOverflow(by: communicator.size)
        guard !overflow else { throw KestrelError.invalidArgument("fit: \(name) \(perRank) × \(communicator.size) ranks overflows.") }
        return global
    }

    /// Whether `callback` writes files or prints, which only rank 0 does.
    static func writesFiles(_ callback: Callback) -> Bool {
        callback is CSVLogger || callback is ModelCheckpoint || callback is TensorBoard || callback is BackupAndRestore
    }
}
