/// The improvement test every monitoring callback shares (Keras's `MonitorCallback._is_improvement`):
/// with `.max`, `value - minDelta > reference`; with `.min`, `value + minDelta < reference` — strictly, so a
/// value that ties the reference is not an improvement; no reference yet (nil) always improves.
struct MonitorComparison: Sendable {
    /// `.min` or `.max` (already resolved).
    let mode: MonitorMode
    /// The least change that counts (≥ 0).
    let minDelta: Double

    /// Whether `value` improves on `reference`.
    func isImprovement(_ value: Double, over reference: Double?) -> Bool {
        guard let reference else { return true }
        return mode == .max ? value - minDelta > reference : value + minDelta < reference
    }
}
