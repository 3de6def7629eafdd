/// A learning rate that changes with the optimizer's step count, as Keras 3's
/// `keras.optimizers.schedules.LearningRateSchedule`. Pass one where an optimizer takes a learning
/// rate (`Adam(learningRate: ExponentialDecay(initialLearningRate: 0.01, decaySteps: 1000, decayRate: 0.96))`);
/// each update step `t` (counting from 0, Keras's `optimizer.iterations` before the step) then uses
/// `schedule(step: t)`.
public protocol LearningRateSchedule: Sendable {
    /// Keras's class name (`"ExponentialDecay"`), written as `class_name` when saved.
    var className: String { get }
    /// The schedule's name (Keras's `name` argument).
    var name: String { get }
    /// The learning rate at optimizer step `step` (0 for the first update).
    func callAsFunction(step: Int) -> Float
    /// Keras's `get_config()`: the constructor arguments under their Keras names.
    func getConfig() -> LayerConfig
}

extension LearningRateSchedule {
    /// The Swift type's name, which is Keras's class name for every schedule Kestrel has.
    public var className: String { String(describing: Self.self) }
}

extension KerasSerializable where Self: LearningRateSchedule {
    /// Keras's `get_config()`, as `getConfig()` gives it.
    public var config: LayerConfig { getConfig() }
}
