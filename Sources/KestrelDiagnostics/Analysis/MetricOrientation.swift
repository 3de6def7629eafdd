/// Which direction of a metric is better: loss-like metrics are minimised, accuracy-like maximised.
public enum MetricOrientation: String, Sendable, Codable, Equatable {
    /// Lower is better (loss, mse, mae, error…).
    case minimize
    /// Higher is better (accuracy, auc, precision, recall, f1…).
    case maximize

    /// Keras's `mode="auto"` rule, extended: names containing an accuracy-like word are
    /// maximised, everything else (losses, errors) minimised. A `val_` prefix is ignored.
    public static func inferred(for metric: String) -> MetricOrientation {
        let name = metric.lowercased()
        let maximised = ["acc", "auc", "precision", "recall", "f1", "iou", "r2", "top_k"]
        return maximised.contains(where: { name.contains($0) }) ? .maximize : .minimize
    }

    /// Whether `candidate` is better than `reference` by more than `minDelta`.
    public func isImprovement(_ candidate: Double, over reference: Double, minDelta: Double = 0) -> Bool {
        switch self {
        case .minimize: return candidate + minDelta < reference
        case .maximize: return candidate - minDelta > reference
        }
    }

    /// The value turned so that larger always means worse (for trend arithmetic).
    func badness(_ value: Double) -> Double { self == .minimize ? value : -value }
}
