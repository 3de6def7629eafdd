/// A callback made from closures (Keras's `LambdaCallback`).
public final class LambdaCallback: Callback, @unchecked Sendable {
    public typealias EpochHook = (Int, [String: Double]) -> Void
    public typealias BatchHook = (Int, [String: Double]) -> Void
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

    public override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) { epochBegin?(epoch, logs) }
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) { epochEnd?(epoch, logs) }
    public override func onTrainBatchBegin(_ batch: Int, logs: inout [String: Double]) { batchBegin?(batch, logs) }
    public override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) { batchEnd?(batch, logs) }
    public override func onTrainBegin(logs: inout [String: Double]) { trainBegin?(logs) }
    public override func onTrainEnd(logs: inout [String: Double]) { trainEnd?(logs) }
}
