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
    /// which see the same combined logs and so decide alike (EarlyStopping). Validation runs whole on
    /// every rank. The other arguments are `fit(_:_:…)`'s.
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, verbose: Verbosity = .auto,
                    validationSplit: Double = 0, validationData: (Tensor, Tensor)? = nil, callbacks: [Callback] = [],
                    shuffle: Bool = true, classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil,
                    initialEpoch: Int = 0, validationBatchSize: Int? = nil, validationFreq: Int = 1,
                    distribution: DistributionStrategy) throws -> History {
        guard case .dataParallel(let given, let bucketBytes) = distribution else { throw KestrelError.invalidArgument("fit: unknown distribution.") }
        let communicator = try given ?? Communicators.world()
        let perRank = batchSize ?? 32
        guard perRank > 0 else { throw KestrelError.invalidArgument("fit: batchSize must be positive, got \(perRank).") }
        let (globalBatch, overflow) = perRank.multipliedReportingOverflow(by: communicator.size)
        guard !overflow else { throw KestrelError.invalidArgument("fit: batchSize \(perRank) × \(communicator.size) ranks overflows.") }
        let parallel = DataParallel(communicator: communicator, bucketBytes: bucketBytes)
        let previous = self.distribution
        self.distribution = communicator.size > 1 ? parallel : nil
        defer { self.distribution = previous }
        return try fit(x, y, epochs: epochs, batchSize: globalBatch, verbose: communicator.isRoot ? verbose : .silent,
                       validationSplit: validationSplit, validationData: validationData,
                       callbacks: communicator.isRoot ? callbacks : callbacks.filter { !Self.writesFiles($0) },
                       shuffle: shuffle, classWeight: classWeight, sampleWeight: sampleWeight, initialEpoch: initialEpoch,
                       validationBatchSize: validationBatchSize ?? perRank, validationFreq: validationFreq)
    }

    /// Whether `callback` writes files or prints, which only rank 0 does.
    static func writesFiles(_ callback: Callback) -> Bool {
        callback is CSVLogger || callback is ModelCheckpoint || callback is TensorBoard || callback is BackupAndRestore
    }
}
