/// An optimizer's elementwise update rule with its hyper-parameters for one step, as Keras 3 computes
/// it. `Tensor.updated(by:gradient:slots:)` applies a rule to a parameter, its gradient and its slots
/// (the optimizer's per-variable state, in Keras's order) and returns the new parameter and slots;
/// `Tensor.update(by:gradient:slots:)` does the same in place where nothing else shares the storage.
public enum UpdateRule: Sendable, Equatable {
    /// SGD. Without momentum `w − lr·g`; with it `m' = momentum·m − lr·g`, then `w + m'` (Nesterov:
    /// `w + momentum·m' − lr·g`). Slots: `[momentum]` when `momentum != 0`, else none.
    case sgd(learningRate: Float, momentum: Float, nesterov: Bool)
    /// Adam: `m' = m + (g − m)(1 − β₁)`, `v' = v + (g² − v)(1 − β₂)`, `w − m'·α / (√v' + ε)` where
    /// `alpha` already holds the bias correction `lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)`. With `amsgrad`, `v̂' =
    /// max(v̂, v')` replaces `v'` in the step. Slots: `[momentum, velocity]`, plus `velocityHat` with AMSGrad.
    case adam(alpha: Float, beta1: Float, beta2: Float, epsilon: Float, amsgrad: Bool)
    /// RMSprop: `v' = ρv + (1 − ρ)g²`; the increment is `lr·g / √(v' + ε)` (centered: `√(v' − ḡ'² + ε)`
    /// with `ḡ' = ρḡ + (1 − ρ)g`); with momentum `s' = momentum·s + increment` and `w − s'`, else
    /// `w − increment`. Slots: `[velocity]`, then `momentum` when `momentum > 0`, then `averageGradient`
    /// when `centered`.
    case rmsprop(learningRate: Float, rho: Float, momentum: Float, epsilon: Float, centered: Bool)
    /// Adagrad: `a' = a + g²`, `w − lr·g / √(a' + ε)`. Slots: `[accumulator]`.
    case adagrad(learningRate: Float, epsilon: Float)
    /// Keras's decoupled weight decay: `w − w·weightDecay·learningRate`. No gradient is read; no slots.
    case weightDecay(weightDecay: Float, learningRate: Float)

    /// How many slot tensors the rule reads and returns.
    public var slotCount: Int {
        switch self {
        case .sgd(_, let momentum, _): return momentum != 0 ? 1 : 0
        case .adam(_, _, _, _, let amsgrad): return amsgrad ? 3 : 2
        case .rmsprop(_, _, let momentum, _, let centered): return 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0)
        case .adagrad: return 1
        case .weightDecay: return 0
        }
    }
}

extension Tensor {
    /// Applies one optimizer step to this parameter: returns the new parameter and the new slots, each
    /// a fresh tensor shaped like the parameter (nothing is changed in place). `gradient` and every
    /// slot must have the parameter's shape, and `slots` must hold `rule.slotCount` tensors in the
    /// rule's order. This is the engine operation optimizers are written against (like MLX's
    /// `apply_single`).
    public func updated(by rule: UpdateRule, gradient: Tensor, slots: [Tensor]) throws -> (parameter: Tensor, slots: [Tensor]) {
        let backend = try checkUpdate(by: rule, gradient: gradient, slots: slots)
        let newParameter = backend.makeStorage(count: count)
        let newSlots = slots.map { _ in backend.makeStorage(count: count) }
        backend.update(rule, UpdateStorage(count: count, parameter: storage, gradient: gradient.storage,
                                           slots: slots.map(\.storage), newParameter: newParameter, newSlots: newSlots))
        return (Tensor(shape: shape, storage: newParameter), newSlots.map { Tensor(shape: shape, storage: $0) })
    }

    /// Applies one optimizer step to this parameter and its slots, with the values
    /// `updated(by:gradient:slots:)` returns (the same arithmetic, bit for bit). Where this tensor and
    /// every slot alone hold their storage (no other tensor, copy or view shares it), the step rewrites
    /// that storage in place in one pass; otherwise it makes new storage, so that a copy taken earlier
    /// (a `Variable.value` read before the step, saved slots) keeps its values: value semantics, like
    /// Swift's copy-on-write arrays. The result carries no gradient tracking. Throws as
    /// `updated(by:gradient:slots:)` does, before changing anything.
    public mutating func update(by rule: UpdateRule, gradient: Tensor, slots: inout [Tensor]) throws {
        let backend = try checkUpdate(by: rule, gradient: gradient, slots: slots)
        guard Tensor.holdsAlone(&self, backend), slots.indices.allSatisfy({ Tensor.holdsAlone(&slots[$0], backend) }) else {
            (self, slots) = try updated(by: rule, gradient: gradient, slots: slots)
            return
        }
        gradientNode = nil
        for index in slots.indices { slots[index].gradientNode = nil }
        let slotStorage = slots.map(\.storage)
        backend.update(rule, UpdateStorage(count: count, parameter: storage, gradient: gradient.storage, slots: slotStorage,
                                           newParameter: storage, newSlots: slotStorage))
    }

    /// Whether `tensor` alone holds its storage and that storage alone reaches its memory.
    private static func holdsAlone(_ tensor: inout Tensor, _ backend: any KernelBackend) -> Bool {
        backend.isOnlyHolder(&tensor.storage) && backend.ownsItsMemoryAlone(tensor.storage)
    }

    /// Checks an update's operands (gradient and slots shaped like this parameter, as many slots as
    /// `rule` reads, all on one device) and returns their backend.
    private func checkUpdate(by rule: UpdateRule, gradient: Tensor, slots: [Tensor]) throws -> any KernelBackend {
        guard gradient.shape == shape else {
            throw KestrelError.shapeMismatch("update: gradient of shape \(gradient.shape) does not match the parameter's shape \(shape).")
        }
        guard slots.count == rule.slotCount else {
            throw KestrelError.invalidArgument("update: \(rule) needs \(rule.slotCount) slot tensors, got \(slots.count).")
        }
        for slot in slots where slot.shape != shape {
            throw KestrelError.shapeMismatch("update: a slot of shape \(slot.shape) does not match the parameter's shape \(shape).")
        }
        return try Tensor.backend(of: [self, gradient] + slots, operation: "update")
    }

    /// `w − w·weightDecay·learningRate` (Keras's decoupled weight decay) as a new tensor.
    public func weightDecayed(by weightDecay: Float, learningRate: Float) -> Tensor {
        // A rule without slots or gradient reads cannot fail.
        (try? updated(by: .weightDecay(weightDecay: weightDecay, learningRate: learningRate), gradient: self,
                      slots: []).parameter) ?? self
    }
}
