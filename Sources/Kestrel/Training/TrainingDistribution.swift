/// How `fit` spreads its training steps over several processes (data parallelism, as Horovod does it):
/// every process ("rank") draws the same global batches, trains on its own rows of each one, and the
/// implementation keeps the weights equal on all ranks (KestrelDistributed's `DataParallel` averages the
/// gradients with an all-reduce). Set it with `Model.distribution`; `fit` calls it at five points only:
/// at the start, for the validation data, for each step, for the epoch's (and validation's) logs, and
/// where it decides to stop.
public protocol TrainingDistribution: AnyObject, Sendable {
    /// This process's index, 0 ..< `size`; rank 0 prints and writes files.
    var rank: Int { get }
    /// How many processes train together.
    var size: Int { get }
    /// Called once after every callback's `onTrainBegin` (and a backup's restore), with the training
    /// batches' source: checks that the ranks agree and makes every rank start from rank 0's weights.
    func trainingWillBegin(_ model: Model, source: BatchSource) throws
    /// This rank's part of the validation batches (`fit` evaluates it, then passes the logs to
    /// `combinedLogs`, so `val_` keys are those of the whole validation data).
    func validationSource(_ source: BatchSource) throws -> BatchSource
    /// Runs `model.trainStep` on this rank's rows of a global batch and returns its logs (this rank's).
    func trainStep(_ model: Model, _ batch: Batch) throws -> [String: Double]
    /// The epoch's (or the validation pass's) logs of all ranks together: the loss tracker's and each compiled metric's result from
    /// the sum of every rank's state; any other key a custom step returned, averaged over the ranks.
    func combinedLogs(_ model: Model, local: [String: Double]) throws -> [String: Double]
    /// Whether any rank asks to stop (each passes its own `stopTraining`); every rank gets the same answer.
    func anyRankStops(_ stop: Bool) throws -> Bool
}
