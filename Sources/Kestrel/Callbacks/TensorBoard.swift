import Foundation

/// Writes TensorBoard event files while `fit` runs (Keras's `keras.callbacks.TensorBoard`), readable by
/// `tensorboard --logdir LOGDIR`. Keras 3's layout and tags:
/// - `logDir/train`: `epoch_<metric>` and `epoch_learning_rate` at step = epoch; with
///   `updateFreq: .batches(n)` also `batch_<metric>` (the epoch's running value) every n-th batch, at
///   step = batches trained since `fit` began; weight histograms `<model>/<layer>/<weight>/histogram`
///   every `histogramFreq` epochs.
/// - `logDir/validation`: `epoch_<metric>` of the `val_` logs at step = epoch, and
///   `evaluation_<metric>_vs_iterations` at step = optimizer iterations after each validation pass.
///
/// Unlike Keras 3.15 (whose integer `update_freq` also drops epoch summaries written at a batch count that
/// is not a multiple of it), epoch scalars are written every epoch whatever `updateFreq` is.
public final class TensorBoard: Callback, @unchecked Sendable {
    /// How often batch-level scalars are written (Keras's `update_freq`).
    public enum UpdateFrequency: Sendable, Equatable {
        /// Epoch summaries only (Keras's `"epoch"`, the default).
        case epoch
        /// Also every n-th batch (`"batch"` is `.batches(1)`).
        case batches(Int)
    }

    /// The folder holding `train/` and `validation/`.
    public let logDir: String
    /// Weight histograms every this many epochs; 0 for none.
    public let histogramFreq: Int
    /// Whether batch-level scalars are written and how often.
    public let updateFreq: UpdateFrequency
    private var writers: [String: EventFileWriter] = [:]
    private var globalTrainBatch = 0
    private var filesOpened = 0

    /// Makes the callback; `writeGraph` and the profiler of Keras are not offered.
    public init(logDir: String = "logs", histogramFreq: Int = 0, updateFreq: UpdateFrequency = .epoch) throws {
        guard histogramFreq >= 0 else {
            throw KestrelError.invalidArgument("TensorBoard: histogramFreq must be ≥ 0 (0 for no histograms), got \(histogramFreq).")
        }
        if case .batches(let count) = updateFreq, count < 1 {
            throw KestrelError.invalidArgument("TensorBoard: updateFreq .batches(n) needs n ≥ 1, got \(count); use .epoch for none.")
        }
        self.logDir = logDir
        self.histogramFreq = histogramFreq
        self.updateFreq = updateFreq
        super.init()
    }

    /// Keras's string spelling: `"epoch"`, `"batch"`, or a number of batches.
    public convenience init(logDir: String = "logs", histogramFreq: Int = 0, updateFreq: String) throws {
        switch updateFreq {
        case "epoch": try self.init(logDir: logDir, histogramFreq: histogramFreq, updateFreq: .epoch)
        case "batch": try self.init(logDir: logDir, histogramFreq: histogramFreq, updateFreq: .batches(1))
        default:
            guard let count = Int(updateFreq) else {
                throw KestrelError.invalidArgument("TensorBoard: updateFreq must be \"epoch\", \"batch\" or a number of batches, got \"\(updateFreq)\".")
            }
            try self.init(logDir: logDir, histogramFreq: histogramFreq, updateFreq: .batches(count))
        }
    }

    /// The event files written so far, by run (`train`, `validation`).
    public var eventFiles: [String: String] { writers.mapValues(\.path) }

    /// Closes files of an earlier fit and restarts the batch count.
    public override func onTrainBegin(logs: inout [String: Double]) throws {
        try closeWriters()
        globalTrainBatch = 0
    }

    /// Counts the batch.
    public override func onTrainBatchBegin(_ batch: Int, logs: inout [String: Double]) throws { globalTrainBatch += 1 }

    /// Writes `batch_`-prefixed scalars every `n` batches when `updateFreq` is `.batches(n)`.
    public override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
        guard case .batches(let every) = updateFreq, globalTrainBatch % every == 0 else { return }
        let writer = try writer("train")
        let now = Date().timeIntervalSince1970
        for (name, value) in logs.sorted(by: { $0.key < $1.key }) {
            writer.append(SummaryEvent.scalar(tag: "batch_" + name, value: Float(value), step: globalTrainBatch, wallTime: now))
        }
        try writer.flush()
    }

    /// Writes the evaluation scalars against the optimizer's iterations, as Keras does.
    public override func onTestEnd(logs: inout [String: Double]) throws {
        guard let optimizer = model?.optimizer, !logs.isEmpty else { return }
        let writer = try writer("validation")
        let now = Date().timeIntervalSince1970
        for (name, value) in logs.sorted(by: { $0.key < $1.key }) {
            writer.append(SummaryEvent.scalar(tag: "evaluation_\(name)_vs_iterations", value: Float(value),
                                              step: optimizer.iterations, wallTime: now))
        }
    }

    /// Writes the `epoch_` scalars to `train` and `validation`, the weight histograms every `histogramFreq` epochs, and flushes.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        try writeEpochScalars(epoch, logs: logs)
        if histogramFreq > 0, epoch % histogramFreq == 0 { try writeHistograms(epoch) }
        for writer in writers.values { try writer.flush() }
    }

    /// Closes the event files.
    public override func onTrainEnd(logs: inout [String: Double]) throws { try closeWriters() }

    private func writeEpochScalars(_ epoch: Int, logs: [String: Double]) throws {
        let now = Date().timeIntervalSince1970
        var trainLogs = logs.filter { !$0.key.hasPrefix("val_") }
        if let learningRate = model?.optimizer?.learningRate { trainLogs["learning_rate"] = Double(learningRate) }
        let validationLogs = logs.filter { $0.key.hasPrefix("val_") }
        if !trainLogs.isEmpty {
            let writer = try writer("train")
            for (name, value) in trainLogs.sorted(by: { $0.key < $1.key }) {
                writer.append(SummaryEvent.scalar(tag: "epoch_" + name, value: Float(value), step: epoch, wallTime: now))
            }
        }
        if !validationLogs.isEmpty {
            let writer = try writer("validation")
            for (name, value) in validationLogs.sorted(by: { $0.key < $1.key }) {
                writer.append(SummaryEvent.scalar(tag: "epoch_" + name.dropFirst(4), value: Float(value), step: epoch, wallTime: now))
            }
        }
    }

    private func writeHistograms(_ epoch: Int) throws {
        guard let model else { return }
        let writer = try writer("train")
        let now = Date().timeIntervalSince1970
        for layer in model.layers {
            for weight in layer.weights {
                let tag = "\(model.name)/\(layer.name)/\(weight.name)/histogram"
                writer.append(SummaryEvent.histogram(tag: tag, buckets: HistogramBuckets.make(weight.value.scalars),
                                                     step: epoch, wallTime: now))
            }
        }
    }

    /// The writer of `run`, created (with its folder and file) on first use as Keras does.
    private func writer(_ run: String) throws -> EventFileWriter {
        if let writer = writers[run] { return writer }
        let writer = try EventFileWriter(folder: (logDir as NSString).appendingPathComponent(run), fileIndex: filesOpened)
        filesOpened += 1
        writers[run] = writer
        return writer
    }

    /// Closes every file; a write failure ends `fit` with an error naming the file (as Keras raises).
    private func closeWriters() throws {
        let open = writers.values
        writers = [:]
        for writer in open { try writer.close() }
    }
}
