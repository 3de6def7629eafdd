/// Whether a monitored quantity should go down (`min`), up (`max`), or be read from the metric (`auto`).
public enum MonitorMode: String, Sendable {
    case auto, min, max

    /// Resolves `auto` as Keras 3's `MonitorCallback` does, in one place for every monitoring callback:
    /// `loss`/`val_loss` falls; otherwise the compiled metric logged under the name (without `val_`) decides
    /// by its `direction` (accuracy, AUC, precision, recall rise; errors fall). A name no metric claims is
    /// judged by Keras's metric names (`resolvedByName`); one that says nothing either way is an error asking
    /// for `mode: .max` or `.min`, as in Keras.
    func resolved(for monitor: String, metrics: [Metric], callback: String) throws -> MonitorMode {
        guard self == .auto else { return self }
        let name = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
        var resolved: MonitorMode? = name == "loss" ? .min : nil
        for metric in metrics where metric.name == name {
            if let direction = metric.direction { resolved = direction == .up ? .max : .min }
        }
        if let resolved = resolved ?? MonitorMode.resolvedByName(name) { return resolved }
        throw KestrelError.invalidArgument(
            "\(callback) callback received monitor=\(monitor), but Kestrel cannot tell whether that metric should be "
                + "maximized or minimized. Pass `mode: .max` to keep the highest value, or `mode: .min` for the lowest.")
    }

    /// The direction of a metric known only by name (Keras's built-in metric names): crossentropies, errors,
    /// divergences and hinge losses fall; accuracies, AUC, precision, recall, F-scores, IoU and R² rise.
    static func resolvedByName(_ name: String) -> MonitorMode? {
        let falling = ["loss", "crossentropy", "error", "divergence", "hinge", "mse", "mae", "mape", "msle", "logcosh", "poisson"]
        let rising = ["acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2", "specificity", "sensitivity"]
        if falling.contains(where: { name.contains($0) }) { return .min }
        if rising.contains(where: { name.contains($0) }) { return .max }
        return nil
    }
}
