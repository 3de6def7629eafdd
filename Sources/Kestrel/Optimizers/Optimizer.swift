/// The base of every optimizer: applies gradients to variables, keeping per-variable state (slots
/// such as momentum or Adam's moments) and the step count. Subclasses override `slotCount` and
/// `update(parameter:gradient:slots:step:learningRate:)`, which works on tensors through the engine's
/// `Tensor.updated(by:gradient:slots:)` (in the spirit of MLX's `apply_single`).
///
/// Like Keras 3's base optimizer, one step first runs `gradientTransforms` (the clipping that
/// `clipnorm`, `globalClipnorm` or `clipvalue` asks for, at most one of them), then applies decoupled
/// weight decay (`variable -= variable * weightDecay * learningRate`), then the subclass's update rule.
open class Optimizer: @unchecked Sendable {
    /// Keras's name for this optimizer ("adam", "sgd"…).
    public let name: String
    /// The step size; may be changed during training (LearningRateScheduler, ReduceLROnPlateau). A value
    /// set here is checked at the next `compile` or step, which throws for a negative or non-finite rate;
    /// `setLearningRate(_:)` checks at once. With a `learningRateSchedule`, reading gives the schedule's
    /// rate at `iterations` (Keras's `optimizer.learning_rate`), and setting a number is an error (thrown
    /// at once by `setLearningRate(_:)`, at the next step here), as in Keras.
    public var learningRate: Float {
        get { learningRateSchedule.map { $0(step: iterations) } ?? constantLearningRate }
        set {
            if learningRateSchedule == nil { constantLearningRate = newValue } else { rateSetDespiteSchedule = newValue }
        }
    }
    /// The schedule giving the rate of each step (Keras's `learning_rate=ExponentialDecay(…)`); nil for a constant rate.
    public private(set) var learningRateSchedule: (any LearningRateSchedule)?
    private var constantLearningRate: Float
    /// A number assigned to `learningRate` while a schedule drives it; the next step throws.
    private var rateSetDespiteSchedule: Float?
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
    }

    /// Keras's `get_config()` of the settings every optimizer has (a subclass adds its own); the learning
    /// rate is its schedule's config when it has one.
    open var config: LayerConfig {
        let number = KerasObjects.number
        let optional: (Float?) -> ConfigValue = { $0.map(number) ?? .null }
        return [
            "name": .string(name),
            "learning_rate": learningRateSchedule.map(LearningRateScheduleConfig.serialize) ?? number(learningRate),
            "weight_decay": optional(weightDecay), "clipnorm": optional(clipnorm),
            "global_clipnorm": optional(globalClipnorm), "clipvalue": optional(clipvalue),
            "use_ema": .bool(false), "ema_momentum": .double(0.99), "ema_overwrite_frequency": .null,
            "loss_scale_factor": .null, "gradient_accumulation_steps": .null,
        ]
    }

    /// Makes an optimizer called `name` with the given learning rate.
    public init(name: String, learningRate: Float) {
        self.name = name
        self.constantLearningRate = learningRate
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
        if let schedule = learningRateSchedule { throw scheduleNotSettable(schedule, value: value) }
        try Optimizer.checkNonNegative(value, "learningRate", optimizer: name)
        learningRate = value
    }

    /// Makes `schedule` give the learning rate of every later step (Keras's `optimizer.learning_rate = schedule`).
    public func setLearningRate(_ schedule: any LearningRateSchedule) {
        learningRateSchedule = schedule
        rateSetDespiteSchedule = nil
    }

    private func scheduleNotSettable(_ schedule: any LearningRateSchedule, value: Float) -> KestrelError {
        .invalidArgument(
            "\(name): this optimizer was made with a learning-rate schedule (\(schedule.className)), so its learning rate cannot be set to \(value); make the optimizer with a number as learningRate to change the rate during training (ReduceLROnPlateau, LearningRateScheduler), or pass a new schedule to setLearningRate(_:).")
    }

    /// Checks the settings that can be changed after the optimizer was made (the learning rate, weight
    /// decay and clipping); `compile` and every step call it, so a rate set to -1 or NaN is an error.
    public func validateSettings() throws {
        if let schedule = learningRateSchedule, let value = rateSetDespiteSchedule {
            throw scheduleNotSettable(schedule, value: value)
        }
        let label = learningRateSchedule.map { "learningRate (\($0.className) at step \(iterations))" } ?? "learningRate"
        try Optimizer.checkNonNegative(learningRate, label, optimizer: name)
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

    /// Keras's names of the slots, in slot order (e.g. Adam's `["momentum", "velocity"]`).
    open var slotNames: [String] { (0..<slotCount).map { "slot\($0)" } }

    /// Computes one variable's update: returns the new parameter and its new slots (in slot order),
    /// each shaped like `parameter`. `step` counts from 1 on the first update. Subclasses compute
    /// through engine operations, usually one `parameter.updated(by:gradient:slots:)`; the base class
    /// returns its inputs unchanged.
    open func update(parameter: Tensor, gradient: Tensor, slots: [Tensor], step: Int,
                     learningRate: Float) throws -> (parameter: Tensor, slots: [Tensor]) {
        (parameter, slots)
    }

    /// The engine rule of one step when this optimizer is one of Kestrel's own (Adam, AdamW, SGD,
    /// RMSprop, Adagrad): `apply(gradients:to:)` then updates each variable and its slots through
    /// `Variable.update(by:gradient:slots:)`, in place where nothing else holds their storage, instead of
    /// calling `update(parameter:gradient:slots:step:learningRate:)`. Nil (the default) for any other
    /// optimizer, whose `update(parameter:…)` is called.
    func updateRule(step: Int, learningRate: Float) -> UpdateRule? { nil }

    /// The transforms `apply(gradients:to:)` runs on the gradients before updating: the clipping
    /// that `clipnorm`, `globalClipnorm` or `clipvalue` asks for (none when none is set).
    open var gradientTransforms: [any GradientTransform] {
        if let clipnorm, clipnorm > 0 { return [ClipByNorm(maximumNorm: clipnorm)] }
        if let globalClipnorm, globalClipnorm > 0 { return [ClipByGlobalNorm(maximumNorm: globalClipnorm)] }
        if let clipvalue, clipvalue > 0 { return [ClipByValue(limit: clipvalue)] }
        return []
    }

    /// Applies one step: `gradients[i]` to `variables[i]`. Non-trainable variables are skipped.
    /// Runs `gradientTransforms`, then weight decay, then `update(parameter:gradient:slots:step:learningRate:)`
    /// per variable. Subclasses may override it (call `super` to keep the bookkeeping).
    open func apply(gradients: [Tensor], to variables: [Variable]) throws {
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
        let pairs = zip(gradients, variables).filter { $0.1.trainable }
        let trainable = pairs.map(\.1)
        var transformed = pairs.map(\.0)
        for stage in gradientTransforms {
            transformed = try stage.transform(transformed, variables: trainable)
        }
        let rate = learningRate  // Keras: the schedule's value at `iterations` before this step counts
        iterations += 1
        let decay = weightDecay ?? 0
        for (variable, gradient) in zip(trainable, transformed) {
            let decayed = decay != 0 && !excludesFromWeightDecay(variable)
            if let rule = updateRule(step: iterations, learningRate: rate), gradient.device == variable.device {
                try update(variable, by: rule, gradient: gradient.detached,
                           weightDecay: decayed ? UpdateRule.weightDecay(weightDecay: decay, learningRate: rate) : nil)
                continue
            }
            var parameter = variable.value
            if decayed {
                parameter = parameter.weightDecayed(by: decay, learningRate: rate)
            }
            let result = try update(parameter: parameter, gradient: gradient.detached,
                                    slots: slotEntry(for: variable).tensors, step: iterations, learningRate: rate)
            try checkUpdate(result, for: variable)
            variable.replaceValue(with: result.parameter)
            slots[ObjectIdentifier(variable)] = SlotEntry(variable: variable, tensors: result.slots)
        }
    }

    /// One step of an engine rule on `variable`: the weight decay first (when given), then `rule`, each
    /// in place where the variable's value and slots are held by nothing else (the slots are taken out of
    /// the table meanwhile, so that the table's copy does not count as a second holder). The same values,
    /// bit for bit, as the new tensors `update(parameter:…)` returns; nothing changes when it throws.
    private func update(_ variable: Variable, by rule: UpdateRule, gradient: Tensor, weightDecay: UpdateRule?) throws {
        var tensors = takeSlots(for: variable)
        defer { slots[ObjectIdentifier(variable)] = SlotEntry(variable: variable, tensors: tensors) }
        if let misplaced = tensors.first(where: { $0.device != variable.device }) {
            // Checked before the weight decay writes anything (restored slots may live elsewhere).
            throw KestrelError.invalidArgument(
                "\(name): the slots of variable '\(variable.name)' are on \(misplaced.device) but the variable is on \(variable.device); restore the optimizer state on the variable's device.")
        }
        if let weightDecay {
            var none: [Tensor] = []
            try variable.update(by: weightDecay, gradient: gradient, slots: &none)
        }
        try variable.update(by: rule, gradient: gradient, slots: &tensors)
    }

    private func checkUpdate(_ result: (parameter: Tensor, slots: [Tensor]), for variable: Variable) throws {
        guard result.parameter.shape == variable.shape, result.slots.count == slotCount,
              result.slots.allSatisfy({ $0.shape == variable.shape }) else {
            throw KestrelError.shapeMismatch(
                "\(name): update(parameter:gradient:slots:) for variable '\(variable.name)' of shape \(variable.shape) returned a parameter of shape \(result.parameter.shape) and \(result.slots.count) slots (expected \(slotCount) of the variable's shape).")
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
        stateRestored = false
    }

    /// Whether `restoreState` put saved state back (a loaded model's optimizer counts as built, as Keras's does).
    private(set) var stateRestored = false

    /// Keras's `optimizer.built`: it has stepped, or its state was loaded.
    var isBuilt: Bool { iterations > 0 || stateRestored }

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
            entries[ObjectIdentifier(variable)] = SlotEntry(variable: variable, tensors: tensors.map { $0.copy() })
        }
        self.iterations = iterations
        self.slots = entries
        stateRestored = true
    }

    /// The slot tensors (optimizer state) kept for `variable`, in slot order, made on first use. The
    /// order is Keras's (`slotNames`): Adam `momentum, velocity[, velocity_hat]`; RMSprop `velocity[,
    /// momentum][, average_gradient]`; SGD `momentum`; Adagrad `accumulator`. Saving relies on it.
    public func slotTensors(for variable: Variable) -> [Tensor] { slotEntry(for: variable).tensors }

    private func slotEntry(for variable: Variable) -> SlotEntry {
        let key = ObjectIdentifier(variable)
        if let existing = slots[key], existing.variable === variable { return existing }
        let entry = SlotEntry(variable: variable, tensors: initialSlots(like: variable))
        slots[key] = entry
        return entry
    }

    /// `variable`'s slot tensors taken out of the table (made on first use); the caller puts them back.
    private func takeSlots(for variable: Variable) -> [Tensor] {
        if let existing = slots.removeValue(forKey: ObjectIdentifier(variable)), existing.variable === variable {
            return existing.tensors
        }
        return initialSlots(like: variable)
    }

    /// New slot tensors for `variable`, each filled with its `initialSlotValue`.
    private func initialSlots(like variable: Variable) -> [Tensor] {
        (0..<slotCount).map { index -> Tensor in
            let initial = initialSlotValue(at: index)
            return Tensor.full(like: variable.value, value: initial)
        }
    }
}
