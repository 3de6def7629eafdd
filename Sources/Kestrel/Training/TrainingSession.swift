/// What a running `fit` shares with its callbacks (`model.trainingSession`, set from just before
/// `onTrainBegin` until `fit` returns).
///
/// A callback may set `initialEpoch` in `onTrainBegin` (as Keras's BackupAndRestore sets
/// `model._initial_epoch`); `fit` reads it after every callback's `onTrainBegin` has run.
public final class TrainingSession: @unchecked Sendable {
    /// The first epoch `fit` will run (0-based); settable in `onTrainBegin`.
    public var initialEpoch: Int
    /// The epoch index `fit` stops at.
    public let epochs: Int
    /// The `initialEpoch` argument `fit` was called with (validation frequency counts from it).
    public let requestedInitialEpoch: Int
    /// Every callback of this run, in calling order (progress bar first, History last).
    public internal(set) var callbacks: [Callback] = []
    /// The epoch running now (0-based).
    public internal(set) var epoch: Int
    /// Batches finished in the current epoch.
    public internal(set) var batchesDone = 0

    /// The generator that shuffles the samples; `epochStartShuffleState` is its state just before the
    /// current epoch's order was drawn.
    var shuffleGenerator: RandomGenerator
    var epochStartShuffleState: RandomGeneratorState
    /// State restored by `BackupAndRestore` in `onTrainBegin`, applied by `fit` once every callback's
    /// `onTrainBegin` has run (so that their resets come first).
    var pendingRestore: TrainingState?
    /// Whether the batches of a pass may be replayed (arrays, a pass per epoch): only then can an epoch
    /// be resumed part-way exactly.
    let canResumeMidEpoch: Bool
    /// Passes made over the training source so far (a `Dataset`'s shape probe included).
    var passesMade = 0
    /// `passesMade` before the current epoch's pass was made.
    var passesAtEpochStart = 0

    init(initialEpoch: Int, epochs: Int, shuffleGenerator: RandomGenerator, canResumeMidEpoch: Bool) {
        self.initialEpoch = initialEpoch
        self.requestedInitialEpoch = initialEpoch
        self.epochs = epochs
        self.epoch = initialEpoch
        self.shuffleGenerator = shuffleGenerator
        self.epochStartShuffleState = shuffleGenerator.state
        self.canResumeMidEpoch = canResumeMidEpoch
    }

    /// The key a callback's saved state is filed under: its class and how many callbacks of that class
    /// come before it ("EarlyStopping#0"), so adding or removing callbacks of other classes keeps it.
    func stateKey(for index: Int) -> String {
        let name = String(describing: type(of: callbacks[index]))
        let earlier = callbacks[..<index].filter { String(describing: type(of: $0)) == name }.count
        return "\(name)#\(earlier)"
    }
}

/// A callback that saves the training state (BackupAndRestore): `fit` calls it after every callback's
/// batch-end or epoch-end hook has run, so the saved state includes what they recorded.
protocol TrainingStateSaver: AnyObject {
    func trainingDidFinishBatch(_ batch: Int, epoch: Int) throws
    func trainingDidFinishEpoch(_ epoch: Int) throws
}
