/// What `compile(optimizer:)` accepts, as Keras accepts it: an optimizer object (`Adam(learningRate: 0.0005)`),
/// a shorthand (`.adam()`, `.sgd(learningRate: 0.1)`) or a Keras string (`"adam"`, `"rmsprop"`).
///
/// One protocol rather than one `compile` overload per combination: a string, an object and a shorthand
/// can be mixed freely with the loss and metric arguments (`LossConvertible`, `MetricConvertible`).
public protocol OptimizerConvertible {
    /// The optimizer this argument stands for; throws for an unknown Keras string.
    func resolvedOptimizer() throws -> Optimizer
}

extension Optimizer: OptimizerConvertible {
    /// The optimizer itself.
    public func resolvedOptimizer() throws -> Optimizer { self }
}

extension String: OptimizerConvertible {
    /// The optimizer this Keras string names (`Optimizer.named`), with Keras's defaults.
    public func resolvedOptimizer() throws -> Optimizer { try Optimizer.named(self) }
}
