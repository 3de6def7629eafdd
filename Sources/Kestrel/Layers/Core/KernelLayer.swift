/// The part `Dense`, the convolutions and `SeparableConv2D` share: a kernel and an optional bias made
/// with Keras's initializer and regularizer arguments, and `activation(callBeforeActivation(x))` with an
/// optional activity regularizer on the output. Subclasses give the kernel's shape and the linear part.
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
        requireRegularizers([(kernelRegularizer, "\(Self.kernelArgument)Regularizer"), (biasRegularizer, "biasRegularizer"),
                             (activityRegularizer, "activityRegularizer")])
    }

    /// The kernel's name in the Swift arguments that error messages quote ("kernel"; `SeparableConv2D`'s is "depthwise").
    class var kernelArgument: String { "kernel" }

    /// Records a problem for each regularizer whose factors are not finite and ≥ 0, named by its label.
    func requireRegularizers(_ regularizers: [(Regularizer?, String)]) {
        for case let (regularizer?, label) in regularizers {
            requireArgument(regularizer.isValid, label, mustBe: "a regularizer with finite factors ≥ 0",
                            got: "l1=\(regularizer.l1), l2=\(regularizer.l2)")
        }
    }

    /// Creates the kernel of `kernelShape` and, with `useBias`, a bias of `biasCount` values.
    public func buildKernelAndBias(kernelShape: [Int], biasCount: Int) throws {
        try buildKernel(name: "kernel", shape: kernelShape)
        try buildBias(count: biasCount)
    }

    /// Creates the kernel, saved under `name`.
    func buildKernel(name: String, shape: [Int]) throws {
        kernel = try addWeight(name: name, shape: shape, initializer: kernelInitializer, regularizer: kernelRegularizer)
    }

    /// With `useBias`, creates a bias of `count` values.
    func buildBias(count: Int) throws {
        if useBias { bias = try addWeight(name: "bias", shape: [count], initializer: biasInitializer, regularizer: biasRegularizer) }
    }

    /// The built kernel, or an error naming this layer when it is used before it was built.
    public func builtKernel() throws -> Variable {
        guard let kernel else { throw KestrelError.invalidState("\(className) '\(name)' was called before it was built.") }
        return kernel
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try activatedOutput(callBeforeActivation(input, training: training), activation: activation, training: training)
    }

    /// `activation` of `preActivation`, with the activity regularizer's penalty recorded in training and
    /// inference alike and divided by the batch size, as Keras 3 records it (so `evaluate`'s loss includes it).
    func activatedOutput(_ preActivation: Tensor, activation: ActivationFunction, training: Bool) throws -> Tensor {
        let output = try activation.apply(preActivation)
        if let activityRegularizer {
            let penalty = try activityRegularizer.penalty(output)
            let batchSize = output.shape.first ?? 1
            activityLosses = [batchSize > 0 ? penalty / Float(batchSize) : penalty]
        }
        return output
    }

    /// The final activation `fit` may fuse into a cross-entropy loss: none when it is linear, or when an
    /// activity regularizer needs the activated output itself.
    public override var fusableOutputActivation: ActivationFunction? {
        activation == .linear || activityRegularizer != nil ? nil : activation
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

    /// `config` (a subclass's `super.config`) with a convolution's window, strides, padding and dilation
    /// under Keras's keys (channels_last), and its activity regularizer.
    func convolutionConfig(_ config: LayerConfig, kernelSize: [Int], strides: [Int], padding: Padding, dilationRate: [Int]) -> LayerConfig {
        config.merging(["kernel_size": .ints(kernelSize), "strides": .ints(strides), "padding": .string(padding.rawValue),
                        "data_format": .string("channels_last"), "dilation_rate": .ints(dilationRate),
                        "activity_regularizer": KerasObjects.serialize(activityRegularizer)]) { $1 }
    }

    /// `config` (a subclass's `super.config`) with the kernel's keys under Keras's depthwise names
    /// (`DepthwiseConv2D`, `SeparableConv2D`).
    func depthwiseKernelConfig(_ config: LayerConfig) -> LayerConfig {
        var config = config
        for key in ["kernel_initializer", "kernel_regularizer", "kernel_constraint"] { config[key] = nil }
        return config.merging(["depthwise_initializer": KerasObjects.serialize(kernelInitializer),
                               "depthwise_regularizer": KerasObjects.serialize(kernelRegularizer), "depthwise_constraint": .null]) { $1 }
    }
}
