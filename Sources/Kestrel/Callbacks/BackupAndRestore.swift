import Foundation

/// Backs up the whole training state so that a run killed at any moment resumes where it stopped
/// (Keras's `BackupAndRestore`). Run the same program again and `fit` continues at the first
/// unfinished epoch — or the batch after the last backup with `saveFreq: .batches(n)` — and ends
/// with the same History and weights as a run that was never interrupted.
///
/// Unlike Keras, which keeps only the weights and the epoch number, the backup
/// (`<backupDir>/training_state.json`, one file written atomically) holds the weights, the
/// optimizer's state, every random generator (shuffling, Dropout, random augmentation, the global
/// seed sequence), every callback's `stateDictionary()` (History, EarlyStopping, ReduceLROnPlateau,
/// ModelCheckpoint, CSVLogger…) and the epoch's partial loss and metric totals.
///
/// Resuming part-way through an epoch needs a replayable training source and no `stepsPerEpoch`:
/// arrays, or a `Dataset` whose random steps are all seeded (`isReplayable`) — a seeded dataset draws
/// each pass's order and augmentation from (seed, pass number), so the resumed `fit` makes and drops
/// as many passes as the interrupted run had made, then skips the batches already trained. An
/// unseeded `Dataset` (or a fixed `stepsPerEpoch`) cannot replay part of an epoch in a new process,
/// so `saveFreq: .batches` is refused when training begins (before any step); `saveFreq: .epoch`
/// still resumes at the first unfinished epoch. A validation `Dataset` must be a different dataset
/// from the training one. The program must build the same model, callbacks and data as the
/// interrupted run (as Keras requires).
public final class BackupAndRestore: Callback, TrainingStateSaver, @unchecked Sendable {
    /// When to back up.
    public enum SaveFrequency: Sendable, Equatable {
        /// After every epoch (Keras's `save_freq="epoch"`).
        case epoch
        /// After every `n` training batches (Keras's integer `save_freq`).
        case batches(Int)
    }

    /// The folder holding `training_state.json`.
    public let backupDir: String
    /// When the state is saved: after each epoch or every n batches.
    public let saveFreq: SaveFrequency
    /// Whether the previous backup is kept as `training_state.json.bkp` in case the newest is unreadable.
    public let doubleCheckpoint: Bool
    /// Whether the backup is deleted when training ends normally.
    public let deleteCheckpoint: Bool
    /// What the run is — e.g. `["seed": "7", "learning_rate": "0.001", "batch_size": "32"]` — stored in
    /// the backup. A backup whose run differs is refused, naming each difference, instead of being
    /// resumed by a different run (Keras does not check; Kestrel's `fit` command passes its options).
    public let run: [String: String]
    private var batchesSinceLastSave = 0
    private var lastBatchSeen: Int?

    private var frequencyText: String {
        if case .batches(let count) = saveFreq { return String(count) }
        return "epoch"
    }

    /// The backup file.
    public var statePath: String { (backupDir as NSString).appendingPathComponent("training_state.json") }
    /// The previous backup kept with `doubleCheckpoint`.
    public var previousStatePath: String { statePath + ".bkp" }

    /// Makes the callback with Keras's defaults; throws for an empty folder or a non-positive frequency.
    /// `run` describes the run (see `run`); empty, any backup in the folder is resumed.
    public init(backupDir: String, saveFreq: SaveFrequency = .epoch, doubleCheckpoint: Bool = false,
                deleteCheckpoint: Bool = true, run: [String: String] = [:]) throws {
        guard !backupDir.isEmpty else { throw KestrelError.invalidArgument("Empty `backupDir` argument passed") }
        if case .batches(let count) = saveFreq, count < 1 {
            throw KestrelError.invalidArgument("BackupAndRestore: saveFreq must be .epoch or .batches(n) with n ≥ 1, got \(count).")
        }
        self.backupDir = backupDir
        self.saveFreq = saveFreq
        self.doubleCheckpoint = doubleCheckpoint
        self.deleteCheckpoint = deleteCheckpoint
        self.run = run
        super.init()
    }

    /// Restores the model, optimizer, random generators, callbacks and history from the backup, if one exists, so `fit` resumes where it stopped.
    public override func onTrainBegin(logs: inout [String: Double]) throws {
        guard let model, let session = model.trainingSession else { return }
        removeStaleTemporaryFiles()
        if case .batches = saveFreq, !session.canResumeMidEpoch {
            throw KestrelError.invalidArgument("BackupAndRestore(saveFreq: .batches(\(frequencyText))) cannot resume part-way through an epoch of this fit: it needs arrays or a Dataset whose shuffles and augmentations are all seeded (dataset.isReplayable), and no stepsPerEpoch, because otherwise the batches of an epoch cannot be replayed in a new process; pass seed: to the Dataset's random steps, or use BackupAndRestore(saveFreq: .epoch) (it resumes at the first unfinished epoch).")
        }
        guard let (state, path) = try loadState() else { return }
        try checkSameRun(state)
        try checkPasses(state, session: session, path: path)
        try model.restoreModelState(state, source: path)
        session.pendingRestore = state
    }

    /// Deletes the backup files when `deleteCheckpoint`.
    public override func onTrainEnd(logs: inout [String: Double]) throws {
        guard deleteCheckpoint else { return }
        let files = FileManager.default
        for path in [statePath, previousStatePath] where files.fileExists(atPath: path) { try files.removeItem(atPath: path) }
        if (try? files.contentsOfDirectory(atPath: backupDir))?.isEmpty == true { try? files.removeItem(atPath: backupDir) }
    }

    /// Removes what a process killed in the middle of a backup write left: this callback's own
    /// temporary files (`.training_state.json….kestrel-tmp`) in `backupDir`.
    private func removeStaleTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: backupDir)) ?? []
        for name in names where name.hasPrefix(".training_state.json") && name.hasSuffix(AtomicFile.temporarySuffix) {
            try? FileManager.default.removeItem(atPath: (backupDir as NSString).appendingPathComponent(name))
        }
    }

    /// The batch counters (so a resumed run keeps the same backup rhythm).
    public override func stateDictionary() throws -> [String: StateValue] {
        ["batchesSinceLastSave": .int(batchesSinceLastSave), "lastBatchSeen": lastBatchSeen.map(StateValue.int) ?? .null]
    }

    /// Continues the batch counters.
    public override func restoreState(_ state: [String: StateValue]) throws {
        batchesSinceLastSave = try state.counter("batchesSinceLastSave")
        lastBatchSeen = try state.optionalCounter("lastBatchSeen")
    }

    func trainingDidFinishBatch(_ batch: Int, epoch: Int) throws {
        guard case .batches(let frequency) = saveFreq else { return }
        let added = (lastBatchSeen.map { batch <= $0 } ?? true) ? batch + 1 : batch - (lastBatchSeen ?? 0)
        batchesSinceLastSave += added
        lastBatchSeen = batch
        guard batchesSinceLastSave >= frequency else { return }
        batchesSinceLastSave = 0
        try save(epoch: epoch, batchesDone: batch + 1)
    }

    func trainingDidFinishEpoch(_ epoch: Int) throws {
        lastBatchSeen = nil
        if saveFreq == .epoch { try save(epoch: epoch + 1, batchesDone: 0) }
    }

    private func save(epoch: Int, batchesDone: Int) throws {
        guard let model, let session = model.trainingSession else { return }
        try FileManager.default.createDirectory(atPath: backupDir, withIntermediateDirectories: true)
        if doubleCheckpoint, let current = FileManager.default.contents(atPath: statePath) {
            try AtomicFile.write(current, to: previousStatePath)
        }
        var state = try model.captureTrainingState(session, epoch: epoch, batchesDone: batchesDone)
        state.run = run.isEmpty ? nil : run
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(state), to: statePath)
    }

    /// Refuses a backup written by another run (`run` differs), naming every difference.
    private func checkSameRun(_ state: TrainingState) throws {
        guard !run.isEmpty else { return }
        let saved = state.run ?? [:]
        let differences = Set(run.keys).union(saved.keys).sorted().compactMap { key -> String? in
            guard saved[key] != run[key] else { return nil }
            return "\(key) \(saved[key] ?? "not recorded") in the backup, \(run[key] ?? "not given") now"
        }
        guard !differences.isEmpty else { return }
        throw KestrelError.invalidArgument(
            "The backup in '\(backupDir)' was written by a different run (\(differences.joined(separator: "; "))); resume it with the same settings, or delete '\(backupDir)' to start afresh.")
    }

    /// Refuses a backup that says more passes were made over the training data than its epoch allows:
    /// a resumed fit makes and drops that many passes before training, so a crafted count (999,999,999)
    /// would keep it busy for hours. An epoch makes one pass, or at most `steps` with `stepsPerEpoch`
    /// (each pass yields a batch), plus the shape probe.
    private func checkPasses(_ state: TrainingState, session: TrainingSession, path: String) throws {
        guard let passes = state.sourcePasses else { return }
        let passesPerEpoch = session.canResumeMidEpoch ? 1 : max(1, params.steps)
        let (product, overflow) = (state.epoch + 1).multipliedReportingOverflow(by: passesPerEpoch)
        let limit = overflow ? Int.max : product + 1
        guard passes > limit else { return }
        throw KestrelError.fileError("\(path): the backup says \(passes) passes were made over the training data by epoch \(state.epoch + 1), but this fit makes at most \(passesPerEpoch) per epoch (\(limit) by then); it is damaged or from another run. Delete the folder '\(backupDir)' to start afresh.")
    }

    /// The saved state and its file: the previous one when the latest cannot be read and
    /// `doubleCheckpoint` kept one, or nil when there is no backup.
    private func loadState() throws -> (TrainingState, String)? {
        guard FileManager.default.fileExists(atPath: statePath) else {
            return FileManager.default.fileExists(atPath: previousStatePath) ? (try decode(previousStatePath), previousStatePath) : nil
        }
        do {
            return (try decode(statePath), statePath)
        } catch {
            guard FileManager.default.fileExists(atPath: previousStatePath) else { throw error }
            return (try decode(previousStatePath), previousStatePath)
        }
    }

    private func decode(_ path: String) throws -> TrainingState {
        // Bounded, and only a regular file: a FIFO in its place blocked the read for ever.
        let data: Data
        do {
            data = try InputFile.read(path, argument: "BackupAndRestore", expected: "a Kestrel training backup", limit: 1 << 33)
        } catch let error as DataError {
            throw KestrelError.fileError("\(error.message) Delete the folder '\(backupDir)' to start afresh.")
        }
        let state: TrainingState
        do {
            state = try JSONDecoder().decode(TrainingState.self, from: data)
        } catch {
            throw KestrelError.fileError("\(path): not a readable Kestrel training backup (\(error)). Delete the folder '\(backupDir)' to start afresh.")
        }
        guard state.format == TrainingState.formatName, state.version == 1 else {
            throw KestrelError.fileError("\(path): not a Kestrel training backup of version 1 (format '\(state.format)', version \(state.version)).")
        }
        // Counters that drive loops on resuming: a damaged or crafted backup must not make fit wait for ever.
        guard TrainingLog.validEpochs.contains(state.epoch), state.batchesDone >= 0, (state.sourcePasses ?? 0) >= 0,
              (state.sourcePasses ?? 0) <= TrainingLog.validEpochs.upperBound,
              (0...(1 << 53)).contains(state.optimizer?.iterations ?? 0) else {
            throw KestrelError.fileError("\(path): the backup's epoch \(state.epoch), batches done \(state.batchesDone) passes \(state.sourcePasses.map(String.init) ?? "-") or optimizer iterations \(state.optimizer.map { String($0.iterations) } ?? "-") are out of range; it is damaged. Delete the folder '\(backupDir)' to start afresh.")
        }
        return state
    }
}
