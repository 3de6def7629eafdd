import Foundation
import KestrelDiagnostics

/// One training run as the dashboard shows it: its finished epochs, the epoch in progress and its timing.
/// Times are seconds on the process's monotonic clock (`DashboardClock`).
public struct DashboardRun: Sendable {
    /// The run's name in the run list ("seed 42", a file's relative path).
    public var name: String
    /// The finished epochs.
    public var log: TrainingLog
    /// Whether the run has ended (training finished, or read from a finished log file).
    public var isFinished: Bool
    /// Epochs `fit` was asked for (0 when unknown, e.g. a file).
    public var epochsPlanned = 0
    /// Batches per epoch (0 when unknown).
    public var stepsPerEpoch = 0
    /// The 0-based epoch in progress, nil between epochs.
    public var epochInProgress: Int?
    /// Batches finished in the epoch in progress.
    public var batchesDone = 0
    /// Running averages within the epoch in progress: x = epoch + fraction of its batches done (1-based epochs,
    /// so the epoch's final value lands at x = epoch + 1), with the batch logs at that point.
    public var partial: [(x: Double, logs: [String: Double])] = []
    /// The optimizer's learning rate at the last update.
    public var learningRate: Double?
    /// When training started and when the epoch in progress started.
    var startedAt: Double?
    var epochStartedAt: Double?
    /// Seconds each finished epoch took.
    public var epochSeconds: [Double] = []
    /// Seconds the whole run took, once finished.
    public var totalSeconds: Double?
    /// "epoch 4: good fit → overfitting", one line per change of the verdict while training.
    public var verdictChanges: [String] = []
    /// The 1-based epoch at which overfitting was first reported while training (nil if never).
    public var overfittingFirstSeen: Int?
    /// The last verdict reached.
    public var lastVerdict: Verdict?

    /// A run with finished epochs `log` (`isFinished` for a log read from a file).
    public init(name: String, log: TrainingLog = TrainingLog(), isFinished: Bool = false) {
        self.name = name
        self.log = log
        self.isFinished = isFinished
    }

    /// Records the verdict after an epoch and notes when it changed and when overfitting was first seen.
    mutating func noteVerdict(_ diagnosis: Diagnosis, epoch: Int) {
        if let lastVerdict, lastVerdict != diagnosis.verdict {
            verdictChanges.append("epoch \(epoch + 1): \(lastVerdict.title.lowercased()) → \(diagnosis.verdict.title.lowercased())")
        }
        if diagnosis.verdict == .overfitting, overfittingFirstSeen == nil { overfittingFirstSeen = epoch + 1 }
        lastVerdict = diagnosis.verdict
    }

    /// Seconds left in this run (nil before anything can be estimated).
    func remainingSeconds(now: Double) -> Double? {
        guard !isFinished, epochsPlanned > 0 else { return isFinished ? 0 : nil }
        let done = log.count
        let intoEpoch = epochStartedAt.map { now - $0 } ?? 0
        if !epochSeconds.isEmpty {
            let mean = epochSeconds.reduce(0, +) / Double(epochSeconds.count)
            return max(0, mean * Double(epochsPlanned - done) - (epochInProgress == nil ? 0 : intoEpoch))
        }
        guard stepsPerEpoch > 0, batchesDone > 0 else { return nil }
        let perBatch = intoEpoch / Double(batchesDone)
        return max(0, perBatch * Double(stepsPerEpoch * (epochsPlanned - done) - batchesDone))
    }

    /// The fraction of this run done, 0…1.
    var fractionDone: Double {
        if isFinished { return 1 }
        guard epochsPlanned > 0 else { return 0 }
        let within = stepsPerEpoch > 0 && epochInProgress != nil ? Double(batchesDone) / Double(stepsPerEpoch) : 0
        return min(1, (Double(log.count) + within) / Double(epochsPlanned))
    }
}

/// Seconds on the monotonic clock since the process started using the dashboard.
enum DashboardClock {
    private static let origin = ContinuousClock.now
    static var now: Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
