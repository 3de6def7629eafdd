/// A metric Keras names with a string in `compile(metrics:)`: its strings and its making, beside the
/// class; `Metric.kerasTypes` lists the metrics that conform.
protocol KerasNamedMetric: Metric {
    /// Keras's strings for the metric ("mse", "mean_squared_error"), as `Metric.validNames` lists them.
    static var kerasNames: [String] { get }
    /// The metric with Keras's defaults, logged as `name` (one of `kerasNames`).
    static func kerasMetric(name: String) throws -> Metric
}
