/// A callback made from closures (Keras's `LambdaCallback`).
public final class LambdaCallback: Callback, @unchecked Sendable {
    /// A closure called with the epoch (0-based) and its logs.
    public typealias EpochHook = (Int, [String: Double]) -> Void
    /// A closure called with the batch (0-based within the epoch) and its logs.
    public typealias BatchHook = (Int, [String: Double]) -> Void
    /// A closure called with the logs at the start or end of training.
    public typealias TrainHook = ([String: Double]) -> Void

    private let epochBegin: EpochHook?
    private let epochEnd: EpochHook?
    private let batchBegin: BatchHook?
    private let batchEnd: BatchHook?
    private let trainBegin: TrainHook?
    private let trainEnd: TrainHook?

    /// Makes a callback calling the given closures.
    public init(onEpochBegin: EpochHook? = nil, onEpochEnd: EpochHook? = nil, onBatchBegin: BatchHook? = nil,
                onBatchEnd: BatchHook? = nil, onTrainBegin: TrainHook? = nil, onTrainEnd: TrainHook? = nil) {
        epochBegin = onEpochBegin
        epochEnd = onEpochEnd
        batchBegin = onBatchBegin
        batchEnd = onBatchEnd
        trainBegin = onTrainBegin
        trainEnd = onTrainEnd
        super.init()
    }

    /// Calls `epochBegin`, if given.
    public override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) { epochBegin?(epoch, logs) }
    /// Calls `epochEnd`, if given.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) { epochEnd?(epoch, logs) }
    /// Calls `batchBegin`, if given.
    public override func onTrainBatchBegin(_ batch: Int, logs: inout [String: Double]) { batchBegin?(batch, logs) }
    /// Calls `batchEnd`, if given.
    public override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) { batchEnd?(batch, logs) }
    /// Calls `trainBegin`, if given.
    public override func onTrainBegin(logs: inout [String: Double]) { trainBegin?(logs) }
    /// Calls `trainEnd`, if given.
    public override func onTrainEnd(logs: inout [String: Double]) { trainEnd?(logs) }
}
