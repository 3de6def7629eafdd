/// Which way a metric moves as the model gets better (Keras's `metric._direction`): accuracy, AUC,
/// precision and recall go `up`; errors and crossentropies go `down`. Monitoring callbacks in
/// `mode: .auto` read it to decide whether the monitored value should rise or fall.
public enum MetricDirection: String, Sendable {
    /// Higher is better.
    case up
    /// Lower is better.
    case down
}
