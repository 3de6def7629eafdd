import Foundation
import Kestrel

/// A callback that watches the learning curves during `fit` and prints a one-line warning the
/// first time they show overfitting; with `stopTraining` it also ends training there.
///
/// The warning goes on its own line after the epoch's progress line, so it never breaks the bar.
public final class OverfittingMonitor: Callback, @unchecked Sendable {
    /// The detector holding the curves seen so far and the first overfitting diagnosis.
    public let detector: OverfittingDetector
    /// Whether to stop training when overfitting is first detected.
    public let stopsTraining: Bool
    /// Whether to print the warning line.
    public let verbose: Bool

    /// Makes the monitor; `options` sets the thresholds of the curve analysis.
    public init(options: DiagnosisOptions = DiagnosisOptions(), stopTraining: Bool = false, verbose: Bool = true) {
        self.detector = OverfittingDetector(options: options)
        self.stopsTraining = stopTraining
        self.verbose = verbose
        super.init()
    }

    /// The diagnosis at the epoch overfitting was first detected, if it was.
    public var detection: Diagnosis? { detector.detection }

    /// Forgets what earlier fits saw.
    public override func onTrainBegin(logs: inout [String: Double]) { detector.reset() }

    /// Feeds the epoch's losses to the detector; at the onset of overfitting prints a warning (when `verbose`) and stops training (when `stopsTraining`).
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        guard let diagnosis = detector.update(epoch: epoch, logs: logs) else { return }
        if verbose { print(OverfittingDetector.warningLine(for: diagnosis)) }
        if stopsTraining { model?.stopTraining = true }
    }
}
