/// The base of every optimizer: applies gradients to variables, keeping per-variable state (slots
/// such as momentum or Adam's moments) and the step count. Subclasses override `slotCount` and
/// `update(parameter:gradient:slots:step:learningRate:)`.
open class Optimizer: @unchecked Sendable {
    /// Keras's name for this optimizer ("adam", "sgd"…).
    public let name: String
    /// The step size; may be changed during training (schedules, ReduceLROnPlateau).
    public var learningRate: Float
    /// Number of update steps applied so far (Keras's `optimizer.iterations`).
    public private(set) var iterations = 0
    private var slots: [ObjectIdentifier: [Tensor]] = [:]

    /// Makes an optimizer called `name` with the given learning rate.
    public init(name: String, learningRate: Float) {
        self.name = name
        self.learningRate = learningRate
    }

    /// How many state tensors (shaped like the variable) each variable needs.
    open var slotCount: Int { 0 }

    /// Updates one variable in place. `step` counts from 1 on the first update.
    open func update(parameter: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                     slots: [UnsafeMutableBufferPointer<Float>], step: Int, learningRate: Float) {}

    /// Applies one step: `gradients[i]` to `variables[i]`. Non-trainable variables are skipped.
    public func apply(gradients: [Tensor], to variables: [Variable]) throws {
        guard gradients.count == variables.count else {
            throw KestrelError.invalidArgument(
                "\(name): got \(gradients.count) gradients for \(variables.count) variables; pass one gradient per variable.")
        }
        iterations += 1
        for (gradient, variable) in zip(gradients, variables) where variable.trainable {
            guard gradient.shape == variable.shape else {
                throw KestrelError.shapeMismatch(
                    "\(name): gradient of shape \(gradient.shape) does not match variable '\(variable.name)' of shape \(variable.shape).")
            }
            let state = slotTensors(for: variable)
            let slotPointers = state.map { $0.buffer.bufferPointer }
            gradient.withUnsafeBufferPointer { gradientPointer in
                variable.update { parameter in
                    update(parameter: parameter, gradient: gradientPointer, slots: slotPointers,
                           step: iterations, learningRate: learningRate)
                }
            }
        }
    }

    private func slotTensors(for variable: Variable) -> [Tensor] {
        let key = ObjectIdentifier(variable)
        if let existing = slots[key] { return existing }
        let made = (0..<slotCount).map { _ in Tensor.zeros(variable.shape) }
        slots[key] = made
        return made
    }
}
