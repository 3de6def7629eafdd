/// The `"accuracy"` metric before it knows what it measures: Keras 3 picks binary, sparse categorical or
/// categorical accuracy from the shapes of the targets and predictions, and logs it under the name it
/// was given ("accuracy").
///
/// Keras 3's rule (`compile_utils.is_binary_or_sparse_categorical`), which does not look at the loss:
/// - predictions' last dimension is 1 → `BinaryAccuracy`;
/// - else targets have lower rank than predictions, or targets' last dimension is 1 → `SparseCategoricalAccuracy`;
/// - else → `CategoricalAccuracy` (also for multi-label [N, K] sigmoid outputs, as in Keras 3).
/// Rank-1 predictions ([N], one sigmoid output per sample) resolve to `BinaryAccuracy`.
///
/// The trainer should call `resolved(for:yTrueShape:yPredShape:)` once shapes are known; if it does not,
/// this placeholder resolves itself on its first `updateState`.
public final class AutoAccuracy: Metric, @unchecked Sendable {
    /// Higher is better, as Keras's `AutoAccuracy` (monitoring callbacks in `mode: .auto` follow it).
    public override var direction: MetricDirection? { .up }

    private var resolvedMetric: Metric?

    /// Makes the placeholder, logged as `name` ("accuracy", or "acc" when given as that string).
    public override init(name: String = "accuracy") { super.init(name: name) }

    /// The concrete accuracy Keras 3 would use, as a new metric logged under this placeholder's name.
    /// `loss` is accepted so the trainer can pass what it has, but Keras 3 decides from shapes alone.
    public override func resolved(for loss: Loss?, yTrueShape: [Int], yPredShape: [Int]) -> Metric {
        AutoAccuracy.resolve(name: name, yTrueShape: yTrueShape, yPredShape: yPredShape)
    }

    /// Keras 3's choice of accuracy for these shapes (see the type's documentation).
    public static func resolve(name: String = "accuracy", yTrueShape: [Int], yPredShape: [Int]) -> Metric {
        let predictionLast = yPredShape.count >= 2 ? yPredShape.last ?? 1 : 1
        let targetLast = yTrueShape.last ?? 1
        if predictionLast == 1 { return BinaryAccuracy(name: name) }
        if yTrueShape.count < yPredShape.count || (targetLast == 1 && predictionLast > 1) {
            return SparseCategoricalAccuracy(name: name)
        }
        return CategoricalAccuracy(name: name)
    }

    /// The metric this placeholder resolved to on its first batch (nil before).
    public var resolvedMetricIfAny: Metric? { resolvedMetric }

    /// Adds a batch's targets and predictions (weighted by `sampleWeight`) to the running state.
    public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
        let metric = resolvedMetric ?? resolved(for: nil, yTrueShape: yTrue.shape, yPredShape: yPred.shape)
        resolvedMetric = metric
        try metric.updateState(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    }

    /// The metric over everything seen since the last reset.
    public override func result() -> Double { resolvedMetric?.result() ?? 0 }

    /// Forgets the running state (done at the start of each epoch).
    public override func resetState() { resolvedMetric?.resetState() }

    /// The resolved metric's state.
    public override var stateValues: [Double] { resolvedMetric?.stateValues ?? [] }

    /// Restores the resolved metric's state.
    public override func restoreStateValues(_ values: [Double]) throws {
        if let resolvedMetric { try resolvedMetric.restoreStateValues(values) } else { try super.restoreStateValues(values) }
    }
}
