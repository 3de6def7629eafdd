import Foundation

/// The warning Keras's monitoring callbacks give when the metric they watch is not in the epoch's
/// logs (a typo such as `"val_los"`, or `"val_loss"` without validation data): written once per
/// `fit` to standard error whatever `verbose` is, as Keras's `warnings.warn` does.
struct MissingMonitorWarning: Sendable {
    /// The text given, once per training run (nil until then).
    private(set) var message: String?

    /// Forgets the last run's warning (at the start of training).
    mutating func reset() { message = nil }

    /// Warns (the first time in a run) that `monitor` is missing from `logs`; `subject` starts the
    /// sentence, e.g. "Early stopping".
    mutating func warn(_ subject: String, monitor: String, logs: [String: Double]) {
        guard message == nil else { return }
        let text = "\(subject) conditioned on metric `\(monitor)` which is not available. Available metrics are: \(logs.keys.sorted().joined(separator: ","))"
        message = text
        FileHandle.standardError.write(Data(("Warning: " + text + "\n").utf8))
    }
}
