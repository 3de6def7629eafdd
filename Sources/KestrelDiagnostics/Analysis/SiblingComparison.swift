/// How a run's monitored metric compares with the best of its siblings on the same data (internal).
struct SiblingComparison: Sendable {
    /// The sibling with the best monitored value among those allowed as evidence.
    var bestSibling: String
    /// Its best monitored value.
    var siblingBest: Double
    /// This run's best monitored value.
    var ownBest: Double
    /// How much worse this run's best is than the sibling's, relative to the sibling's (positive = worse).
    var shortfall: Double
    /// The training counterpart of the monitor ("binary_crossentropy" for "val_binary_crossentropy").
    var trainingMetric: String?
    /// The median of this run's last three training values of that metric.
    var trainingLevel: Double?
    /// How many siblings were compared.
    var siblingCount: Int

    /// Underfitting as Keras users read it: this run's best is clearly worse (at least `margin`, relative)
    /// than a sibling's, and even its training fit is worse than that sibling's validation value (the
    /// training loss is high, so it is not a generalisation gap but a lack of fit).
    func underfits(margin: Double, orientation: MetricOrientation) -> Bool {
        guard shortfall >= margin, let trainingLevel else { return false }
        return orientation.badness(trainingLevel) > orientation.badness(siblingBest)
    }

    /// Compares `log`'s `monitor` with each sibling's; nil without a sibling that logged the monitor.
    static func measure(log: TrainingLog, monitor: String, orientation: MetricOrientation,
                        siblings: [SiblingRun], ownParameters: Int?) -> SiblingComparison? {
        func best(_ values: [Double]?) -> Double? {
            values?.filter(\.isFinite).min { orientation.badness($0) < orientation.badness($1) }
        }
        guard let ownBest = best(log.values(monitor)) else { return nil }
        // A smaller sibling doing better is no evidence that more capacity helps; unknown sizes are allowed.
        let allowed = siblings.filter { sibling in
            guard let own = ownParameters, let theirs = sibling.parameterCount else { return true }
            return theirs >= own
        }
        let candidates = allowed.compactMap { sibling in best(sibling.log.values(monitor)).map { (sibling.name, $0) } }
        guard let top = candidates.min(by: { orientation.badness($0.1) < orientation.badness($1.1) }) else { return nil }
        let shortfall = orientation.badness(ownBest - top.1) / max(abs(top.1), 1e-12)
        var trainingMetric: String? = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : nil
        var trainingLevel: Double?
        if let name = trainingMetric, let values = log.values(name), values.contains(where: \.isFinite) {
            trainingLevel = CurveFacts.tailMedian(values)
        } else {
            trainingMetric = nil
        }
        return SiblingComparison(bestSibling: top.0, siblingBest: top.1, ownBest: ownBest, shortfall: shortfall,
                                 trainingMetric: trainingMetric, trainingLevel: trainingLevel, siblingCount: candidates.count)
    }
}
