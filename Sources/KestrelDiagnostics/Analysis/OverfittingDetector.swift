import Foundation

/// Watches a training run epoch by epoch and reports the moment its verdict first turns
/// to *overfitting* — the engine of Kestrel's `OverfittingMonitor` callback.
///
/// Call `update(epoch:logs:)` from a callback's `onEpochEnd(epoch, logs)`; it returns the
/// diagnosis once, at the first epoch that is diagnosed as overfitting, and nil otherwise.
/// `warningLine(for:)` gives the one-line message to print. Thread-safe (state behind a lock).
public final class OverfittingDetector: @unchecked Sendable {
    /// The analyzer applied after each epoch.
    public let analyzer: CurveAnalyzer
    private let lock = NSLock()
    private var storedLog = TrainingLog()
    private var storedLatest: Diagnosis?
    private var storedDetection: Diagnosis?

    /// A detector using `options` (the defaults when omitted). A live run has not stopped, so the
    /// early-stopped reading is turned off (`earlyStoppedMaximumTail = 0`): a rise is overfitting.
    public init(options: DiagnosisOptions = DiagnosisOptions()) {
        analyzer = CurveAnalyzer(options: options.whileTraining)
    }

    /// The epochs seen so far.
    public var log: TrainingLog { lock.withLock { storedLog } }
    /// The diagnosis after the latest epoch.
    public var latestDiagnosis: Diagnosis? { lock.withLock { storedLatest } }
    /// The diagnosis at the epoch where overfitting was first detected, if it was.
    public var detection: Diagnosis? { lock.withLock { storedDetection } }
    /// Whether overfitting has been detected.
    public var hasDetectedOverfitting: Bool { detection != nil }

    /// Records one epoch's metrics (Keras's `logs` dict) and diagnoses the run so far.
    /// - Returns: the diagnosis if this epoch is the first one diagnosed as overfitting; else nil.
    @discardableResult
    public func update(epoch: Int, logs: [String: Double]) -> Diagnosis? {
        lock.withLock {
            storedLog.append(epoch: epoch, logs: logs)
            let diagnosis = analyzer.diagnose(storedLog)
            storedLatest = diagnosis
            guard diagnosis.verdict == .overfitting, storedDetection == nil else { return nil }
            storedDetection = diagnosis
            return diagnosis
        }
    }

    /// Forgets everything seen (call at `onTrainBegin` to reuse the detector).
    public func reset() {
        lock.withLock {
            storedLog = TrainingLog()
            storedLatest = nil
            storedDetection = nil
        }
    }

    /// One line for the terminal, e.g. "Overfitting detected at epoch 8: val_loss rose from …
    /// EarlyStopping(patience: 3) would stop here."
    public static func warningLine(for diagnosis: Diagnosis) -> String {
        // The sentence whose claim decided the verdict (the rise or the gap), else the first.
        let deciding = diagnosis.claims.first { claim in
            [.overfittingRise, .accuracyGap].contains(claim.rule) && claim.relation == .atLeast && claim.comparisonHolds && claim.sentence != nil
        }?.sentence
        let evidence = deciding.flatMap { $0 < diagnosis.evidence.count ? diagnosis.evidence[$0] : nil } ?? diagnosis.evidence.first ?? diagnosis.headline
        let epoch = diagnosis.epochCount
        var line = "Overfitting detected at epoch \(epoch): \(evidence)"
        if let stopped = diagnosis.earlyStopping?.stoppedEpoch, let patience = diagnosis.earlyStopping?.patience {
            line += " (EarlyStopping(patience: \(patience)) would have stopped at epoch \(stopped + 1).)"
        }
        return line
    }
}
