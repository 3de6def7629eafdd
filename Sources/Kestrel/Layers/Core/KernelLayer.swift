/// The part `Dense` and `Conv2D` share: a kernel and an optional bias made with Keras's initializer
/// and regularizer arguments, and `activation(callBeforeActivation(x))` with an optional activity
/// regularizer on the output. Subclasses give the kernel's shape and the linear part.
open class KernelLayer: Layer, @unchecked Sendable {
    /// Applied to the linear output (`.linear` for none).
    public let activation: ActivationFunction
    /// Whether a bias is added.
    public let useBias: Bool
    /// How the kernel starts (Keras default glorot_uniform).
    public let kernelInitializer: Initializer
    /// How the bias starts (Keras default zeros).
    public let biasInitializer: Initializer
    /// Penalty on the kernel added to the training loss.
    public let kernelRegularizer: Regularizer?
    /// Penalty on the bias added to the training loss.
    public let biasRegularizer: Regularizer?
    /// Penalty on the layer's output added to the training loss.
    public let activityRegularizer: Regularizer?
    /// The kernel, once built.
    public private(set) var kernel: Variable?
    /// The bias, once built (when `useBias`).
    public private(set) var bias: Variable?

    /// Stores Keras's common arguments (defaults as Keras: glorot_uniform kernel, zero bias).
    public init(activation: ActivationFunction, useBias: Bool, kernelInitializer: Initializer,
                biasInitializer: Initializer, kernelRegularizer: Regularizer?, biasRegularizer: Regularizer?,
                activityRegularizer: Regularizer?, name: String?) {
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        self.kernelRegularizer = kernelRegularizer
        self.biasRegularizer = biasRegularizer
        self.activityRegularizer = activityRegularizer
        super.init(name: name)
        requireArgument(activation.isKnown, "activation", mustBe: "one of \(ActivationFunction.validNamesText)", got: "'\(activation.rawValue)'")
        for (regularizer, label) in [(kernelRegularizer, "kernelRegularizer"), (biasRegularizer, "biasRegularizer"),
                                     (activityRegularizer, "activityRegularizer")] {
            if let regularizer {
                requireArgument(regularizer.isValid, label, mustBe: "a regularizer with finite factors ≥ 0",
                                got: "l1=\(regularizer.l1), l2=\(regularizer.l2)")
            }
        }
    }

    /// Creates the kernel of `kernelShape` and, with `useBias`, a bias of `biasCount` values.
    public func buildKernelAndBias(kernelShape: [Int], biasCount: Int) throws {
        kernel = try addWeight(name: "kernel", shape: kernelShape, initializer: kernelInitializer, regularizer: kernelRegularizer)
        if useBias { bias = try addWeight(name: "bias", shape: [biasCount], initializer: biasInitializer, regularizer: biasRegularizer) }
    }

    /// The built kernel, or an error naming this layer when it is used before it was built.
    public func builtKernel() throws -> Variable {
        guard let kernel else { throw KestrelError.invalidState("\(className) '\(name)' was called before it was built.") }
        return kernel
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try activatedOutput(callBeforeActivation(input, training: training), activation: activation,
                            activityRegularizer: activityRegularizer, training: training)
    }

    /// The final activation `fit` may fuse into a cross-entropy loss (nil when there is none).
    public override var fusableOutputActivation: ActivationFunction? {
        Self.fusableActivation(activation, activityRegularizer: activityRegularizer)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging([
            "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
            "kernel_initializer": KerasObjects.serialize(kernelInitializer), "bias_initializer": KerasObjects.serialize(biasInitializer),
            "kernel_regularizer": KerasObjects.serialize(kernelRegularizer), "bias_regularizer": KerasObjects.serialize(biasRegularizer),
            "kernel_constraint": .null, "bias_constraint": .null,
        ]) { $1 }
    }
}
