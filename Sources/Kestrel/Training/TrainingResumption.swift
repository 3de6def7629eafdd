/// The bookkeeping that lets `fit` resume exactly where a `BackupAndRestore` backup left it: the passes
/// made over the training source (so a seeded `Dataset`'s n-th pass lines up), the shuffle generator's
/// state at each epoch's start, and the restore of a part-done epoch (its order, the batches already
/// trained, the loss and metric totals). `fit`'s epoch loop only asks it for the next batch.
final class TrainingResumption {
    private let model: Model
    private let source: BatchSource
    private let shuffle: Bool
    private let session: TrainingSession
    /// A backup to continue from, until the first epoch it concerns has started.
    private var pending: TrainingState?
    /// The pass batches are drawn from (carried across epochs with `stepsPerEpoch`).
    private var pass: AnyIterator<Batch>?

    /// Applies a backup that a callback's `onTrainBegin` put in the session (the first epoch, the shuffle
    /// generator, the callbacks' states); its part-done epoch is restored by `startEpoch()`.
    init(model: Model, source: BatchSource, shuffle: Bool, session: TrainingSession) throws {
        self.model = model
        self.source = source
        self.shuffle = shuffle
        self.session = session
        session.passesMade = source.probePasses
        pending = session.pendingRestore
        session.pendingRestore = nil
        guard let state = pending else { return }
        session.initialEpoch = state.epoch
        session.shuffleGenerator = try RandomGenerator(state: state.shuffleGenerator)
        for (index, callback) in session.callbacks.enumerated() {
            if let saved = state.callbacks[session.stateKey(for: index)] { try callback.restoreState(saved) }
        }
    }

    /// Ends the current pass (each epoch without `stepsPerEpoch` starts a fresh one).
    func endPass() { pass = nil }

    /// Starts an epoch after the model's metrics were reset: for the first epoch of a resumed run, catches
    /// up with the passes the interrupted run had made and, when it stopped part-way through this
    /// epoch, redraws the epoch's order, skips the batches already trained and restores the loss and
    /// metric totals. Returns the number of batches already done.
    func startEpoch() throws -> Int {
        guard let state = pending else { return 0 }
        pending = nil
        guard state.batchesDone > 0 else {
            catchUp(to: state.sourcePasses)
            return 0
        }
        guard session.canResumeMidEpoch else {
            throw KestrelError.invalidState("fit: the backup was taken part-way through epoch \(state.epoch + 1), but this fit cannot replay part of an epoch (stepsPerEpoch or a Dataset); use BackupAndRestore(saveFreq: .epoch).")
        }
        guard state.metricStates.count == model.compiledMetrics.count else {
            throw KestrelError.invalidData("fit: the backup holds \(state.metricStates.count) metric states but the model has \(model.compiledMetrics.count) metrics.")
        }
        if let rate = state.optimizer?.learningRate, let optimizer = model.optimizer, optimizer.learningRateSchedule == nil {
            optimizer.learningRate = rate
        }
        catchUp(to: state.sourcePasses)
        let pass = try makePass()
        for index in 0..<state.batchesDone {
            guard let skipped = pass.next() else {
                throw KestrelError.invalidData("fit: the backup says \(state.batchesDone) batches of epoch \(state.epoch + 1) were trained, but the epoch has only \(index); it is damaged or from another run — delete the backup folder to start afresh.")
            }
            // A Dataset's metrics are resolved by the first training step; the skipped batch stands in for it.
            if index == 0 { try model.resolveMetrics(for: skipped) }
        }
        self.pass = pass
        for (metric, values) in zip(model.compiledMetrics, state.metricStates) { try metric.restoreStateValues(values) }
        try model.lossTracker.restoreStateValues([state.lossTotal, state.lossWeight])
        session.batchesDone = state.batchesDone
        return state.batchesDone
    }

    /// The next training batch; nil at the end of a pass when `cycling` is false (the epoch is one pass).
    /// With `cycling` (`stepsPerEpoch`), a finished pass is followed by a fresh one; a fresh pass that
    /// yields nothing is an error.
    func nextBatch(cycling: Bool) throws -> Batch? {
        while true {
            var fresh = false
            if pass == nil {
                fresh = true
                pass = try makePass()
            }
            if let batch = pass?.next() { return batch }
            pass = nil
            guard cycling else { return nil }
            if fresh { throw KestrelError.invalidData("fit: the training data yielded no batch.") }
        }
    }

    /// A new pass, noting the generator state and pass count at its start (what a backup saves).
    private func makePass() throws -> AnyIterator<Batch> {
        session.epochStartShuffleState = session.shuffleGenerator.state
        session.passesAtEpochStart = session.passesMade
        session.passesMade += 1
        return try source.makePass(shuffled: shuffle, generator: &session.shuffleGenerator)
    }

    /// Makes and drops passes over the source until `passes` have been made in all, as the interrupted
    /// run had (a seeded Dataset's n-th pass is then the one it would have used).
    private func catchUp(to passes: Int?) {
        guard let passes else { return }
        while session.passesMade < passes {
            source.skipPass()
            session.passesMade += 1
        }
    }
}
