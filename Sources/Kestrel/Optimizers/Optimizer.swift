#if canImport(Glibc)
import Glibc
#endif

/// The base of every optimizer: applies gradients to variables, keeping per-variable state (slots
/// such as momentum or Adam's moments) and the step count. Subclasses override `slotCount` and
/// `update(parameter:gradient:slots:step:learningRate:)`.
///
/// Like Keras 3's base optimizer, one step first clips the gradients (`clipnorm`, `globalClipnorm`
/// or `clipvalue`, at most one of them), then applies decoupled weight decay
/// (`variable -= variable * weightDecay * learningRate`), then the subclass's update rule.
open class Optimizer: @unchecked Sendable {
    /// Keras's name for this optimizer ("adam", "sgd"…).
    public let name: String
    /// The step size; may be changed during training (schedules, ReduceLROnPlateau). A value set here
    /// is checked at the next `compile` or step, which throws for a negative or non-finite rate;
    /// `setLearningRate(_:)` checks at once.
    public var learningRate: Float
    /// Number of update steps applied so far (Keras's `optimizer.iterations`).
    public private(set) var iterations = 0
    /// Decoupled weight decay applied before each update (Keras's `weight_decay`); nil for none.
    public var weightDecay: Float?
    /// Each gradient is rescaled so that its own L2 norm is at most this (Keras's `clipnorm`).
    public var clipnorm: Float?
    /// Each gradient element is clipped to [-clipvalue, clipvalue] (Keras's `clipvalue`).
    public var clipvalue: Float?
    /// All gradients are rescaled together so their joint L2 norm is at most this (Keras's `global_clipnorm`).
    public var globalClipnorm: Float?
    /// Variables whose name contains any of these strings get no weight decay (Keras's
    /// `exclude_from_weight_decay(var_names=…)`, e.g. `["bias", "gamma", "beta"]`).
    public var weightDecayExcludedNames: [String] = []
    private var slots: [ObjectIdentifier: SlotEntry] = [:]

    /// One variable's state; the weak reference detects a freed variable whose address was reused.
    private struct SlotEntry {
        weak var variable: Variable?
        let tensors: [Tensor]
        let pointers: [UnsafeMutableBufferPointer<Float>]
    }

    /// Makes an optimizer called `name` with the given learning rate.
    public init(name: String, learningRate: Float) {
        self.name = name
        self.learningRate = learningRate
    }

    /// Makes an optimizer with Keras's common arguments; throws when more than one clipping option is set
    /// or a value is out of range.
    public convenience init(name: String, learningRate: Float, weightDecay: Float?, clipnorm: Float?,
                            clipvalue: Float?, globalClipnorm: Float?) throws {
        self.init(name: name, learningRate: learningRate)
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// Sets Keras's common arguments, checking them as Keras does.
    public func configure(weightDecay: Float?, clipnorm: Float?, clipvalue: Float?, globalClipnorm: Float?) throws {
        let setCount = [clipnorm, clipvalue, globalClipnorm].compactMap { $0 }.count
        guard setCount <= 1 else {
            throw KestrelError.invalidArgument(
                "\(name): only one of clipnorm, clipvalue and globalClipnorm can be set; got clipnorm=\(String(describing: clipnorm)), clipvalue=\(String(describing: clipvalue)), globalClipnorm=\(String(describing: globalClipnorm)).")
        }
        try Optimizer.checkNonNegative(learningRate, "learningRate", optimizer: name)
        for (value, label) in [(weightDecay, "weightDecay"), (clipnorm, "clipnorm"), (clipvalue, "clipvalue"),
                               (globalClipnorm, "globalClipnorm")] {
            if let value { try Optimizer.checkNonNegative(value, label, optimizer: name) }
        }
        self.weightDecay = weightDecay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.globalClipnorm = globalClipnorm
    }

    /// Sets `learningRate`, throwing (and keeping the old rate) unless `value` is finite and ≥ 0.
    public func setLearningRate(_ value: Float) throws {
        try Optimizer.checkNonNegative(value, "learningRate", optimizer: name)
        learningRate = value
    }

    /// Checks the settings that can be changed after the optimizer was made (the learning rate, weight
    /// decay and clipping); `compile` and every step call it, so a rate set to -1 or NaN is an error.
    public func validateSettings() throws {
        try Optimizer.checkNonNegative(learningRate, "learningRate", optimizer: name)
        for (value, label) in [(weightDecay, "weightDecay"), (clipnorm, "clipnorm"), (clipvalue, "clipvalue"),
                               (globalClipnorm, "globalClipnorm")] {
            if let value { try Optimizer.checkNonNegative(value, label, optimizer: name) }
        }
    }

    static func checkNonNegative(_ value: Float, _ label: String, optimizer: String) throws {
        guard value.isFinite, value >= 0 else {
            throw KestrelError.invalidArgument("\(optimizer): \(label) must be a finite number ≥ 0, got \(value).")
        }
    }

    static func checkRange(_ value: Float, _ label: String, optimizer: String, closedUpper: Bool = false) throws {
        guard value.isFinite, value >= 0, closedUpper ? value <= 1 : value < 1 else {
            throw KestrelError.invalidArgument(
                "\(optimizer): \(label) must be in [0, 1\(closedUpper ? "]" : ")"), got \(value).")
        }
    }

    /// How many state tensors (shaped like the variable) each variable needs.
    open var slotCount: Int { 0 }

    /// The value slot `index` starts from (zero unless overridden, e.g. Adagrad's initial accumulator).
    open func initialSlotValue(at index: Int) -> Float { 0 }

    /// Updates one variable in place. `step` counts from 1 on the first update.
    open func update(parameter: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                     slots: [UnsafeMutableBufferPointer<Float>], step: Int, learningRate: Float) {}

    /// Applies one step: `gradients[i]` to `variables[i]`. Non-trainable variables are skipped.
    public func apply(gradients: [Tensor], to variables: [Variable]) throws {
        guard gradients.count == variables.count else {
            throw KestrelError.invalidArgument(
                "\(name): got \(gradients.count) gradients for \(variables.count) variables; pass one gradient per variable.")
        }
        for (gradient, variable) in zip(gradients, variables) where variable.trainable {
            guard gradient.shape == variable.shape else {
                throw KestrelError.shapeMismatch(
                    "\(name): gradient of shape \(gradient.shape) does not match variable '\(variable.name)' of shape \(variable.shape).")
            }
        }
        try validateSettings()
        iterations += 1
        let pairs = zip(gradients, variables).filter { $0.1.trainable }
        let clipped = clipGradients(pairs.map(\.0))
        let rate = learningRate
        let decay = weightDecay ?? 0
        for ((_, variable), gradient) in zip(pairs, clipped) {
            let slotPointers = slotEntry(for: variable).pointers
            gradient.withUnsafeBufferPointer { gradientPointer in
                variable.update { parameter in
                    if decay != 0, !excludesFromWeightDecay(variable) {
                        Optimizer.decay(parameter, weightDecay: decay, learningRate: rate)
                    }
                    update(parameter: parameter, gradient: gradientPointer, slots: slotPointers,
                           step: iterations, learningRate: rate)
                }
            }
        }
    }

    /// Keras's `exclude_from_weight_decay(var_names=…)`: variables whose name contains any of `names`
    /// are not decayed.
    public func excludeFromWeightDecay(names: [String]) {
        weightDecayExcludedNames = names
    }

    private func excludesFromWeightDecay(_ variable: Variable) -> Bool {
        !weightDecayExcludedNames.isEmpty && weightDecayExcludedNames.contains { variable.name.contains($0) }
    }

    /// Resets the step count and forgets all slots (a fresh optimizer with the same settings).
    public func resetState() {
        iterations = 0
        slots = [:]
    }

    /// Restores saved state when resuming from a checkpoint: the step count and, per variable, its slot
    /// tensors (as `slotTensors(for:)` returned them). Values are copied.
    public func restoreState(iterations: Int, slots saved: [(variable: Variable, tensors: [Tensor])]) throws {
        guard iterations >= 0 else {
            throw KestrelError.invalidArgument("\(name): iterations must be ≥ 0, got \(iterations).")
        }
        var entries: [ObjectIdentifier: SlotEntry] = [:]
        for (variable, tensors) in saved {
            guard tensors.count == slotCount else {
                throw KestrelError.invalidArgument(
                    "\(name): variable '\(variable.name)' needs \(slotCount) slot tensors, got \(tensors.count).")
            }
            for tensor in tensors where tensor.shape != variable.shape {
                throw KestrelError.shapeMismatch(
                    "\(name): a slot of shape \(tensor.shape) does not match variable '\(variable.name)' of shape \(variable.shape).")
            }
            let copies = tensors.map { $0.copy() }
            entries[ObjectIdentifier(variable)] = SlotEntry(variable: variable, tensors: copies,
                                                            pointers: copies.map { $0.buffer.bufferPointer })
        }
        self.iterations = iterations
        self.slots = entries
    }

    /// The slot tensors (optimizer state) kept for `variable`, made on first use.
    public func slotTensors(for variable: Variable) -> [Tensor] { slotEntry(for: variable).tensors }

    private func slotEntry(for variable: Variable) -> SlotEntry {
        let key = ObjectIdentifier(variable)
        if let existing = slots[key], existing.variable === variable { return existing }
        let made = (0..<slotCount).map { index -> Tensor in
            let initial = initialSlotValue(at: index)
            return Tensor.full(like: variable.value, value: initial)
        }
        let entry = SlotEntry(variable: variable, tensors: made, pointers: made.map { $0.buffer.bufferPointer })
        slots[key] = entry
        return entry
    }

    private func clipGradients(_ gradients: [Tensor]) -> [Tensor] {
        if let clipnorm, clipnorm > 0 {
            return gradients.map { gradient in
                let norm = Optimizer.l2Norm(gradient)
                let scale = clipnorm / Swift.max(norm, clipnorm)
                return norm > 0 && scale != 1 ? Optimizer.scaled(gradient, by: scale) : gradient
            }
        } else if let globalClipnorm, globalClipnorm > 0 {
            var squared: Double = 0
            for gradient in gradients {
                let norm = Double(Optimizer.l2Norm(gradient))
                squared += norm * norm
            }
            let norm = Float(squared.squareRoot())
            // Keras: clip_norm * min(1/norm, 1/clip_norm); NaN when the norm is not finite.
            let scale = norm.isFinite ? globalClipnorm * Swift.min(1 / norm, 1 / globalClipnorm) : .nan
            return scale == 1 ? gradients : gradients.map { Optimizer.scaled($0, by: scale) }
        } else if let clipvalue, clipvalue > 0 {
            return gradients.map { $0.clipped(lower: -clipvalue, upper: clipvalue).detached }
        }
        return gradients
    }

    /// Keras's decoupled weight decay: `variable - variable * weightDecay * learningRate`.
    private static func decay(_ parameter: UnsafeMutableBufferPointer<Float>, weightDecay: Float, learningRate: Float) {
        let values = parameter.baseAddress!
        forEachChunk(parameter.count) { range in
            for index in range { values[index] -= values[index] * weightDecay * learningRate }
        }
    }

    /// Runs an elementwise update over `0..<count`, split across cores for large variables.
    @inline(__always)
    public static func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
        Parallel.forEachRange(count: count, minimumPerThread: 1 << 15, body)
    }

    private static func l2Norm(_ tensor: Tensor) -> Float {
        tensor.withUnsafeBufferPointer { values in
            var total: Float = 0
            for value in values { total += value * value }
            return total.squareRoot()
        }
    }

    private static func scaled(_ tensor: Tensor, by factor: Float) -> Tensor {
        let result = TensorBuffer(count: tensor.count)
        tensor.withUnsafeBufferPointer { values in
            for index in values.indices { result.pointer[index] = values[index] * factor }
        }
        return Tensor(shape: tensor.shape, buffer: result)
    }
}
