/// The base of the callbacks that watch one logged quantity (Keras 3's `MonitorCallback`): `EarlyStopping`,
/// `ReduceLROnPlateau` and `ModelCheckpoint`. It holds what is watched and how, and decides whether a
/// value improves on a reference, with `.auto` resolved against the model's metrics on first use.
open class MonitorCallback: Callback, @unchecked Sendable {
    /// The logged quantity watched, e.g. `val_loss`.
    public let monitor: String
    /// Whether the monitored quantity should fall (`.min`), rise (`.max`) or as its metric says (`.auto`).
    public let mode: MonitorMode
    /// The least change that counts as an improvement.
    public let minDelta: Double
    /// The best monitored value so far (nil before the first; `ModelCheckpoint` starts at `initialValueThreshold`).
    public internal(set) var best: Double?
    private var comparison: MonitorComparison?

    /// Watches `monitor` in `mode`; a value improves when it beats the reference by more than `|minDelta|`.
    public init(monitor: String, mode: MonitorMode, minDelta: Double) {
        self.monitor = monitor
        self.mode = mode
        self.minDelta = Swift.abs(minDelta)
        super.init()
    }

    /// Whether `value` improves on `reference` (always, without one), as Keras's `_is_improvement`;
    /// throws when `.auto` cannot tell which way the monitored quantity should go.
    public func isImprovement(_ value: Double, over reference: Double?) throws -> Bool {
        if comparison == nil {
            let resolved = try mode.resolved(for: monitor, metrics: model?.compiledMetrics ?? [], callback: String(describing: type(of: self)))
            comparison = MonitorComparison(mode: resolved, minDelta: minDelta)
        }
        return comparison?.isImprovement(value, over: reference) ?? false
    }
}
