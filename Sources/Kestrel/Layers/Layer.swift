import Synchronization

/// The base of every layer, as in Keras: configuration in `init`, weights created lazily in
/// `build(inputShape:)` through `addWeight`, computation in `call(_:training:)`.
///
/// Shapes given to and returned by `build` and `computeOutputShape` leave out the batch dimension
/// (Keras's `None`). Calling a layer (`layer(x)`) builds it on first use from `x`'s shape.
open class Layer: @unchecked Sendable {
    /// Unique name such as "dense" or "dense_1", as Keras makes them.
    public let name: String
    /// Whether the layer's weights are updated by training; a frozen layer's weights count as non-trainable.
    public var trainable: Bool {
        didSet {
            for weight in ownWeights { weight.trainable = trainable && trainableByDesign.contains(ObjectIdentifier(weight)) }
            for layer in trackedLayers { layer.trainable = trainable }
        }
    }
    private var ownWeights: [Variable] = []
    /// Every weight of this layer (for a model: of all its layers), in creation order (Keras's `layer.weights`).
    open var weights: [Variable] { ownWeights + trackedLayers.flatMap(\.weights) }
    /// The input shape the layer was built for (without the batch dimension).
    public internal(set) var builtInputShape: [Int]?
    /// The `inputShape:` the layer was made with (Keras's legacy `input_shape=`/`input_dim=` keyword, without
    /// the batch dimension), or nil. As in Keras 3, a `Sequential` whose first layer has one starts with an
    /// `Input(shape:)` of that shape (saved and summarised as an `InputLayer`); elsewhere it is ignored.
    public internal(set) var inputShapeArgument: [Int]?
    /// The calls of this layer on symbolic tensors (functional models), held weakly.
    var inboundNodes = InboundNodes()
    /// Activity-regularisation losses from the last training call.
    public internal(set) var activityLosses: [Tensor] = []
    /// Problems with the arguments the layer was made with, one sentence each (empty when all are valid).
    /// Initialisers record them instead of throwing, so `Dense(128, activation: .relu)` needs no `try`;
    /// `Sequential` throws the first one when the layer is added, and building the layer throws it too.
    public private(set) var argumentProblems: [String] = []
    /// Whether this layer's class was declared outside the Kestrel module (a user's subclass), read once.
    let isDefinedOutsideKestrel: Bool
    private var trainableByDesign: Set<ObjectIdentifier> = []
    private var regularizedWeights: [(Variable, Regularizer)] = []

    /// Makes a layer; `name` defaults to the snake-case class name made unique ("dense_2").
    public init(name: String? = nil) {
        self.trainable = true
        self.isDefinedOutsideKestrel = !String(reflecting: type(of: self)).hasPrefix("Kestrel.")
        self.name = name ?? LayerNaming.uniqueName(for: LayerNaming.snakeCase(String(describing: type(of: self))))
        // Keras refuses '/' in names (it separates weight paths); an empty name would leave a weight path empty.
        requireArgument(!self.name.isEmpty && !self.name.contains("/"), "name",
                        mustBe: "a non-empty name without '/' (Keras refuses '/'; leave it out for an automatic name)", got: "'\(self.name)'")
    }

    /// The Keras class name shown by `summary()` ("Dense", "Conv2D"…).
    open var className: String { String(describing: type(of: self)) }

    /// Whether `build(inputShape:)` has run.
    public var isBuilt: Bool { builtInputShape != nil }

    /// Creates the weights for inputs of `inputShape` (without batch dimension). By default a layer
    /// without weights only checks that the shape fits, through `computeOutputShape`; a layer defined
    /// outside Kestrel runs `call` once on a batch of one zero sample instead, which builds the layers it
    /// holds (Keras 3 builds them by tracing `call` symbolically).
    open func build(inputShape: [Int]) throws {
        if isDefinedOutsideKestrel {
            _ = try call(try Tensor.zeros([1] + inputShape), training: false)
        } else {
            _ = try computeOutputShape(inputShape)
        }
    }

    /// The output shape for `inputShape` (both without batch dimension). By default the input shape; for
    /// a layer defined outside Kestrel and already built for `inputShape` (`Sequential` and `fit` build
    /// each layer before asking), the shape `call` returns for one zero sample, as Keras 3 infers it by
    /// tracing `call`. It never builds the layer, so loading a file can walk the shapes before any weight exists.
    open func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard isDefinedOutsideKestrel, builtInputShape == inputShape else { return inputShape }
        return try shapeByCalling(inputShape)
    }


    /// The sample shape `call` returns for one zero sample of `inputShape` (the layer built already).
    func shapeByCalling(_ inputShape: [Int]) throws -> [Int] {
        Array(try call(try Tensor.zeros([1] + inputShape), training: false).shape.dropFirst())
    }

    /// The layer's computation on a batch. `training` switches layers such as Dropout and BatchNormalization.
    open func call(_ input: Tensor, training: Bool) throws -> Tensor { input }

    /// The activation this layer applies last, when it can also return the values before it
    /// (`callBeforeActivation`). The trainer uses this to give crossentropy losses the logits, as Keras
    /// does: exact for confident mistakes and cheaper.
    open var fusableOutputActivation: ActivationFunction? { nil }

    /// `call` without the final activation named by `fusableOutputActivation`.
    open func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor { try call(input, training: training) }

    /// Like `callAsFunction`, but stopping before the final activation.
    public func applyBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        try buildIfNeeded(inputShape: Array(input.shape.dropFirst()))
        clearLosses()
        return try callBeforeActivation(input, training: training)
    }

    /// The position of this layer's random generator (Dropout masks, random augmentation), nil for
    /// layers that draw no random numbers; `BackupAndRestore` saves it so a resumed run continues it.
    open var randomState: RandomGeneratorState? { nil }

    /// Puts the layer's random generator back at a state `randomState` returned.
    open func restoreRandomState(_ state: RandomGeneratorState) throws {}

    /// The layer's configuration exactly as Keras 3's `get_config()` returns it (name, trainable, dtype
    /// policy, then the class's own arguments); `KerasLayerRegistry` reads it back.
    open var config: LayerConfig { KerasObjects.baseLayerConfig(self) }

    /// Keras's `get_config()`: the same as `config`.
    public func getConfig() -> LayerConfig { config }

    /// Records an argument problem unless `isValid`: "Dense 'dense': units must be a positive integer, got -5."
    /// Subclass initialisers call this for every argument that has a valid range in Keras.
    public func requireArgument(_ isValid: Bool, _ argument: String, mustBe validRange: String, got value: Any) {
        guard !isValid else { return }
        argumentProblems.append("\(className) '\(name)': \(argument) must be \(validRange), got \(value).")
    }

    /// Throws the first recorded argument problem, if any, as a `KestrelError.invalidArgument`.
    public func validateArguments() throws {
        if let problem = argumentProblems.first { throw KestrelError.invalidArgument(problem) }
    }

    /// Builds the layer for `inputShape` unless already built; rejects a different shape afterwards.
    public func buildIfNeeded(inputShape: [Int]) throws {
        try validateArguments()
        if let builtInputShape {
            guard builtInputShape == inputShape else {
                throw KestrelError.shapeMismatch(
                    "Layer '\(name)' (\(className)) was built for inputs of shape \(LayerNaming.format(builtInputShape)) but got \(LayerNaming.format(inputShape)); check the data or the model's Input shape.")
            }
            return
        }
        try build(inputShape: inputShape)
        builtInputShape = inputShape
    }

    /// Runs the layer on a batch, building it first if needed.
    public func callAsFunction(_ input: Tensor, training: Bool = false) throws -> Tensor {
        guard input.rank >= 1 else {
            throw KestrelError.shapeMismatch("Layer '\(name)' (\(className)) needs a batch of inputs, got a scalar.")
        }
        try buildIfNeeded(inputShape: Array(input.shape.dropFirst()))
        clearLosses()
        return try call(input, training: training)
    }

    /// Creates a weight owned by this layer (Keras's `add_weight`), drawn by `initializer` (Keras's default
    /// for float weights, `glorotUniform`); without a name it is "variable", then "variable_1"… as in Keras.
    @discardableResult
    public func addWeight(name: String? = nil, shape: [Int], initializer: Initializer = .glorotUniform,
                          regularizer: Regularizer? = nil, trainable: Bool = true) throws -> Variable {
        let name = name ?? (ownWeights.isEmpty ? "variable" : "variable_\(ownWeights.count)")
        try ParameterBudget.current?.reserve(shape, weight: name, of: self)
        let value: Tensor
        do { value = try initializer.make(shape: shape) } catch let error as KestrelError {
            throw KestrelError.invalidArgument("\(className) '\(self.name)': weight '\(name)' of shape \(shape) cannot be made: \(error.message)")
        }
        let variable = Variable(value, name: name, trainable: trainable && self.trainable)
        if trainable { trainableByDesign.insert(ObjectIdentifier(variable)) }
        ownWeights.append(variable)
        if let regularizer { regularizedWeights.append((variable, regularizer)) }
        return variable
    }

    /// `addWeight` with the initializer given by its Keras name (`initializer: "random_normal"`, `"zeros"`…);
    /// an unknown name throws an error listing the valid ones.
    @discardableResult
    public func addWeight(name: String? = nil, shape: [Int], initializer: String,
                          regularizer: Regularizer? = nil, trainable: Bool = true) throws -> Variable {
        let resolved: Initializer
        do { resolved = try Initializer.named(initializer) } catch let error as KestrelError {
            throw KestrelError.invalidArgument("\(className) '\(self.name)': addWeight(initializer:): \(error.message)")
        }
        return try addWeight(name: name, shape: shape, initializer: resolved, regularizer: regularizer, trainable: trainable)
    }

    /// Adds a scalar loss term from `call` (Keras's `add_loss`), such as an activity penalty: `fit` and
    /// `evaluate` add it to the compiled loss, as they add weight penalties. The terms are cleared when the
    /// layer is called again. Throws unless `loss` holds exactly one value.
    public func addLoss(_ loss: Tensor) throws {
        guard loss.count == 1 else {
            throw KestrelError.invalidArgument(
                "\(className) '\(name)': addLoss needs a scalar loss, got a tensor of shape \(loss.shape); reduce it first (e.g. .mean() or .sum()).")
        }
        activityLosses.append(loss.rank == 0 ? loss : try loss.reshaped([]))
    }

    /// The scalar losses of this layer and of the layers it holds (Keras's `layer.losses`): those added by
    /// `addLoss` and by activity regularizers in the last call, and the weight regularizers' penalties.
    public var losses: [Tensor] {
        get throws { try collectLosses() }
    }

    /// Forgets the terms `addLoss` and activity regularizers added in earlier calls, here and in every layer
    /// this one holds, as Keras clears a layer's losses and its sub-layers' at the start of each outer call:
    /// a sub-layer that this call skips (a branch taken only in training) keeps no stale term.
    func clearLosses() {
        activityLosses = []
        for layer in trackedLayers { layer.clearLosses() }
    }

    /// This layer's loss terms followed by those of its tracked sub-layers; `Model` collects over its layers.
    func collectLosses() throws -> [Tensor] {
        var result = activityLosses
        if let penalty = try regularizationLoss() { result.append(penalty) }
        for layer in trackedLayers { result += try layer.collectLosses() }
        return result
    }

    /// The weights this layer made itself with `addWeight` (without those of the layers it holds).
    var directWeights: [Variable] { ownWeights }

    /// The layers held in stored properties that a subclass outside Kestrel declares (a layer, an optional
    /// layer or an array of layers), in declaration order, base classes first: Keras tracks layers assigned
    /// as attributes, so their weights, losses and `trainable` belong to the outer layer too.
    var trackedLayers: [Layer] { trackedLayerProperties.flatMap(\.layers) }

    /// The objects of class `Kind` (alone, optional or in an array) held in the stored properties that a
    /// subclass outside Kestrel declares, in declaration order, base classes first; repeats included.
    func trackedProperties<Kind: AnyObject>(of kind: Kind.Type) -> [Kind] {
        userPropertyMirrors().flatMap { current in
            current.children.flatMap { child -> [Kind] in
                if let object = child.value as? Kind { return [object] }
                return child.value as? [Kind] ?? []
            }
        }
    }

    /// The layers held in stored properties, each entry with its property's name (an array of layers as one
    /// entry, `isList`), a layer held twice under its first property only: where Keras's weights layout puts
    /// a sub-layer's variables (`<this layer's path>/<property name>/vars`, a list's layers one level deeper).
    var trackedLayerProperties: [(property: String, layers: [Layer], isList: Bool)] {
        guard isDefinedOutsideKestrel else { return [] }
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var result: [(property: String, layers: [Layer], isList: Bool)] = []
        for current in userPropertyMirrors() {
            for child in current.children {
                guard let label = child.label else { continue }
                if let layer = child.value as? Layer {
                    if seen.insert(ObjectIdentifier(layer)).inserted { result.append((label, [layer], false)) }
                } else if let list = child.value as? [Layer] {
                    result.append((label, list.filter { seen.insert(ObjectIdentifier($0)).inserted }, true))
                }
            }
        }
        return result
    }

    /// The mirrors of the classes a subclass outside Kestrel declares, base classes first (none for Kestrel's own).
    private func userPropertyMirrors() -> [Mirror] {
        guard isDefinedOutsideKestrel else { return [] }
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror, !String(reflecting: current.subjectType).hasPrefix("Kestrel.") {
            mirrors.append(current)
            mirror = current.superclassMirror
        }
        return mirrors.reversed()
    }

    /// Copies of all weights' values (Keras's `get_weights()`).
    public func getWeights() -> [Tensor] { weights.map { $0.value.copy() } }

    /// Replaces all weights' values; count and shapes must match `getWeights()`.
    public func setWeights(_ values: [Tensor]) throws {
        let variables = weights
        guard values.count == variables.count else {
            throw KestrelError.invalidArgument(
                "setWeights: layer '\(name)' has \(variables.count) weights but \(values.count) values were given.")
        }
        for (variable, value) in zip(variables, values) { try variable.assign(value) }
    }

    /// Weights updated by training.
    public var trainableWeights: [Variable] { weights.filter(\.trainable) }
    /// Weights not updated by training (moving statistics, frozen layers).
    public var nonTrainableWeights: [Variable] { weights.filter { !$0.trainable } }
    /// The number of scalar weights (Keras's `count_params()`).
    public func countParams() -> Int { weights.reduce(0) { $0 + $1.value.count } }

    /// The sum of this layer's weight-regularisation penalties (nil when it has none).
    public func regularizationLoss() throws -> Tensor? {
        var total: Tensor?
        for (variable, regularizer) in regularizedWeights {
            let penalty = try regularizer.penalty(variable.tensor)
            total = try total.map { try $0 + penalty } ?? penalty
        }
        return total
    }
}

/// Keras-style unique layer names: snake-case class name, then "_1", "_2"… for later instances.
public enum LayerNaming {
    private static let counters = Mutex<[String: Int]>([:])

    /// `base` the first time, then `base_1`, `base_2`….
    public static func uniqueName(for base: String) -> String {
        counters.withLock { counters in
            let count = counters[base, default: 0]
            counters[base] = count + 1
            return count == 0 ? base : "\(base)_\(count)"
        }
    }

    /// Keras's `to_snake_case`: "BatchNormalization" → "batch_normalization", "Conv2D" → "conv2d".
    public static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var first = ""
        // Step 1: an underscore before each capital followed by lower-case letters (not at the start).
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if index > 0, character.isUppercase, index + 1 < characters.count, characters[index + 1].isLowercase {
                first.append("_")
            }
            first.append(character)
            index += 1
        }
        // Step 2: an underscore between a lower-case letter and a capital.
        let middle = Array(first)
        var result = ""
        for (position, character) in middle.enumerated() {
            if position > 0, character.isUppercase, middle[position - 1].isLowercase, middle[position - 1].isLetter {
                result.append("_")
            }
            result.append(character)
        }
        return result.lowercased()
    }

    /// A shape with Keras's batch placeholder: (None, 28, 28).
    public static func format(_ shape: [Int], batch: Bool = true) -> String {
        let parts = (batch ? ["None"] : []) + shape.map(String.init)
        return "(" + parts.joined(separator: ", ") + (parts.count == 1 ? ",)" : ")")
    }
}
