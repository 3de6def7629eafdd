/// One element of `compile(metrics:)`, as Keras accepts it: a metric object (`SparseCategoricalAccuracy()`),
/// a shorthand (`.accuracy`, `.auc`) or a Keras string (`"accuracy"`, `"mse"`, `"binary_crossentropy"`),
/// mixed freely in one array: `metrics: ["accuracy", .auc, Precision()]`.
public protocol MetricConvertible {
    /// The metric this element stands for (a metric object is used as given, with its state, as Keras
    /// does); throws for an unknown Keras string.
    func resolvedMetric(loss: Loss?) throws -> Metric
}

extension Metric: MetricConvertible {
    /// The metric itself.
    public func resolvedMetric(loss: Loss?) throws -> Metric { self }
}

extension String: MetricConvertible {
    /// The metric this Keras string names (`Metric.named`), logged under the string as Keras 3 does.
    public func resolvedMetric(loss: Loss?) throws -> Metric { try Metric.named(self, loss: loss) }
}

extension Loss: MetricConvertible {
    /// The loss tracked as a metric (`LossMetric`), logged under the loss's name: Keras's metric classes that
    /// share a loss's name (`keras.metrics.BinaryCrossentropy(from_logits=True, name="binary_crossentropy")`)
    /// are written with the loss class, `metrics: [BinaryCrossentropy(fromLogits: true), "accuracy"]`.
    public func resolvedMetric(loss: Loss?) throws -> Metric { LossMetric(self) }
}
