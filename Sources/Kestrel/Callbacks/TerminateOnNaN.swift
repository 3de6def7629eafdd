/// Stops training as soon as a batch's loss is NaN or infinite (Keras's `TerminateOnNaN`).
public final class TerminateOnNaN: Callback, @unchecked Sendable {
    /// The batch at which training was stopped, if it was.
    public private(set) var terminatedAtBatch: Int?

    /// Stops training when the batch's loss is NaN or infinite.
    public override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) {
        guard let loss = logs["loss"], !loss.isFinite else { return }
        print("Batch \(batch): Invalid loss, terminating training")
        terminatedAtBatch = batch
        model?.stopTraining = true
    }
}
