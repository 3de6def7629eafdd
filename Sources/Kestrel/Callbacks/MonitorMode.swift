/// Whether a monitored quantity should go down (`min`), up (`max`), or be inferred from its name (`auto`).
public enum MonitorMode: String, Sendable {
    case auto, min, max

    /// Resolves `auto` as Keras does: losses and errors are minimised; accuracy, AUC, precision,
    /// recall and other "higher is better" metrics are maximised.
    func resolved(for monitor: String) -> MonitorMode {
        guard self == .auto else { return self }
        let name = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
        let increasing = ["acc", "auc", "precision", "recall", "f1", "fmeasure"]
        return increasing.contains(where: { name.contains($0) }) ? .max : .min
    }
}
