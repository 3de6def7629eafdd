import Foundation

/// Saves the model (or only its weights) during training, as Keras's `ModelCheckpoint`:
/// `ModelCheckpoint(filepath: "best_model.keras", monitor: "val_loss", saveBestOnly: true)`.
///
/// `filepath` may hold placeholders filled from the 1-based epoch, the 1-based batch (with
/// `saveFreq: .batches(n)`) and the logs: `"ckpt/{epoch:02d}-{val_loss:.2f}.keras"`. With
/// `saveWeightsOnly` the path must end `.weights.h5`, otherwise `.keras` (or `.h5`: Keras's legacy HDF5
/// model file, as Keras 3 writes it). Missing folders are made;
/// every file is written atomically. With `verbose: 1` it prints Keras's messages.
public final class ModelCheckpoint: MonitorCallback, @unchecked Sendable {
    /// When to save: after each epoch, or after every `n` training batches.
    public enum SaveFrequency: Sendable, Equatable {
        /// At the end of every epoch (Keras's `save_freq="epoch"`).
        case epoch
        /// After every `n` batches (Keras's integer `save_freq`).
        case batches(Int)
    }

    /// The path, with Keras placeholders such as `{epoch:02d}` and `{val_loss:.2f}`.
    public let filepath: String
    /// 1 prints Keras's message at each save or skipped save.
    public let verbose: Int
    /// Whether a file is written only when the monitored quantity improves.
    public let saveBestOnly: Bool
    /// Whether only the weights are written (the path must then end in `.weights.h5`).
    public let saveWeightsOnly: Bool
    /// When to save: after each epoch or every n batches.
    public let saveFreq: SaveFrequency
    /// A value the monitored quantity must beat before the first save with `saveBestOnly`.
    public let initialValueThreshold: Double?
    private var batchesSinceLastSave = 0
    private var lastBatchSeen: Int?
    private var currentEpoch = 0
    private let template: FilepathTemplate

    /// Makes the callback with Keras's defaults; throws when the path's extension does not fit
    /// `saveWeightsOnly` or `saveFreq` is not positive.
    public init(filepath: String, monitor: String = "val_loss", verbose: Int = 0, saveBestOnly: Bool = false,
                saveWeightsOnly: Bool = false, mode: MonitorMode = .auto, saveFreq: SaveFrequency = .epoch,
                initialValueThreshold: Double? = nil) throws {
        if saveWeightsOnly {
            guard filepath.hasSuffix(".weights.h5") else {
                throw KestrelError.invalidArgument("When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` (Keras weights format). Received: filepath=\(filepath)")
            }
        } else if !filepath.hasSuffix(".keras") && !filepath.hasSuffix(".h5") {
            throw KestrelError.invalidArgument("The filepath provided must end in `.keras` (Keras model format) or `.h5` (legacy HDF5 format). Received: filepath=\(filepath)")
        }
        if case .batches(let count) = saveFreq, count < 1 {
            throw KestrelError.invalidArgument("ModelCheckpoint: saveFreq must be .epoch or .batches(n) with n ≥ 1, got \(count).")
        }
        self.filepath = filepath
        self.verbose = verbose
        self.saveBestOnly = saveBestOnly
        self.saveWeightsOnly = saveWeightsOnly
        self.saveFreq = saveFreq
        self.initialValueThreshold = initialValueThreshold
        self.template = FilepathTemplate(filepath)
        super.init(monitor: monitor, mode: mode, minDelta: 0)
        best = initialValueThreshold
    }

    /// Remembers the epoch for the file name.
    public override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {
        currentEpoch = epoch
    }

    /// Saves every n batches when `saveFreq` is `.batches(n)`.
    public override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
        guard case .batches(let frequency) = saveFreq else { return }
        let added = (lastBatchSeen.map { batch <= $0 } ?? true) ? batch + 1 : batch - (lastBatchSeen ?? 0)
        batchesSinceLastSave += added
        lastBatchSeen = batch
        guard batchesSinceLastSave >= frequency else { return }
        batchesSinceLastSave = 0
        try save(epoch: currentEpoch, batch: batch, logs: logs)
    }

    /// Saves after the epoch when `saveFreq` is `.epoch`.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        if saveFreq == .epoch { try save(epoch: epoch, batch: nil, logs: logs) }
    }

    /// The best value and the batch counters.
    public override func stateDictionary() throws -> [String: StateValue] {
        ["best": .number(best), "batchesSinceLastSave": .int(batchesSinceLastSave),
         "lastBatchSeen": lastBatchSeen.map(StateValue.int) ?? .null]
    }

    /// Continues from a saved state.
    public override func restoreState(_ state: [String: StateValue]) throws {
        best = try state.optionalNumber("best")
        batchesSinceLastSave = try state.counter("batchesSinceLastSave")
        lastBatchSeen = try state.optionalCounter("lastBatchSeen")
    }

    /// The path for `epoch` (0-based) and `batch` (0-based, nil at epoch end) with `logs` filled in.
    public func filePath(epoch: Int, batch: Int?, logs: [String: Double]) throws -> String {
        var integers = ["epoch": epoch + 1]
        if let batch, logs["batch"] == nil { integers["batch"] = batch + 1 }
        return try template.format(integers: integers, values: logs)
    }

    private func save(epoch: Int, batch: Int?, logs: [String: Double]) throws {
        let path = try filePath(epoch: epoch, batch: batch, logs: logs)
        guard try shouldSave(epoch: epoch, logs: logs, path: path), let model else { return }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw KestrelError.fileError("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: \(path)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        if saveWeightsOnly { try model.saveWeights(path, overwrite: true) } else { try model.save(path, overwrite: true) }
        if verbose > 0 { print("\nEpoch \(epoch + 1): finished saving model to \(path)") }
    }

    private func shouldSave(epoch: Int, logs: [String: Double], path: String) throws -> Bool {
        guard saveBestOnly else {
            if verbose > 0 { print("\nEpoch \(epoch + 1): saving model to \(path)") }
            return true
        }
        guard let current = logs[monitor] else {
            print("Warning: Can save best model only with \(monitor) available.")
            return true
        }
        let bestText = best.map { String(format: "%.5f", $0) } ?? "None"
        if try isImprovement(current, over: best) {
            if verbose > 0 {
                print("\nEpoch \(epoch + 1): \(monitor) improved from \(bestText) to \(String(format: "%.5f", current)), saving model to \(path)")
            }
            best = current
            return true
        }
        if verbose > 0 { print("\nEpoch \(epoch + 1): \(monitor) did not improve from \(bestText)") }
        return false
    }
}
