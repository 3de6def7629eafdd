/// Metrics measured on a held-out test set after training (what `model.evaluate` returns),
/// keyed by the training log's metric names (`"loss"`, `"accuracy"`, …).
public struct HoldoutMetrics: Sendable, Codable, Equatable {
    /// Metric name (without `val_`/`test_` prefix) → test value.
    public var values: [String: Double]

    /// Test metrics by name.
    public init(values: [String: Double]) { self.values = values }

    /// The usual pair from `let (loss, accuracy) = model.evaluate(x, y)`; nil ones are left out.
    public init(loss: Double? = nil, accuracy: Double? = nil) {
        var values: [String: Double] = [:]
        if let loss { values["loss"] = loss }
        if let accuracy { values["accuracy"] = accuracy }
        self.values = values
    }

    /// Whether no test metric was given.
    public var isEmpty: Bool { values.isEmpty }
}
