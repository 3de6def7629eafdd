/// A 1-D convolution over [batch, steps, channels] sequences (Keras's `Conv1D`): kernel
/// [kernelSize, inChannels, filters], computed as a 2-D convolution of height 1.
public final class Conv1D: KernelLayer, @unchecked Sendable {
    /// The number of output channels.
    public let filters: Int
    /// The window length.
    public let kernelSize: Int
    /// The step between windows.
    public let strides: Int
    /// `.valid` or `.same` (Keras's `causal` and dilation are not supported).
    public let padding: Padding

    /// Makes the layer with Keras's defaults (stride 1, valid padding, glorot-uniform kernel, zero bias).
    public init(_ filters: Int, kernelSize: Int, strides: Int = 1, padding: PaddingArgument = .valid,
                activation: ActivationFunction = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding.resolved
        super.init(activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                   biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                   activityRegularizer: activityRegularizer, name: name)
        inputShapeArgument = inputShape
        requirePadding(padding)
        requireArgument(filters > 0, "filters", mustBe: "a positive integer", got: filters)
        requireArgument(kernelSize > 0, "kernelSize", mustBe: "positive", got: kernelSize)
        requireArgument(strides > 0, "strides", mustBe: "positive", got: strides)
    }

    /// [output steps, filters].
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw KestrelError.shapeMismatch("Conv1D '\(name)' needs sequences of shape (steps, channels), got \(LayerNaming.format(inputShape)).")
        }
        let (_, steps) = try WindowSize(1, kernelSize).outputSpatialShape(height: 1, width: inputShape[0], strides: WindowSize(1, strides),
                                                                           padding: padding, layer: "Conv1D '\(name)'")
        return [steps, filters]
    }

    /// Makes the kernel and bias.
    public override func build(inputShape: [Int]) throws {
        _ = try computeOutputShape(inputShape)
        try buildKernelAndBias(kernelShape: [kernelSize, inputShape[1], filters], biasCount: filters)
    }

    /// The convolution without the final activation.
    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        let kernel = try builtKernel().tensor
        let images = try input.reshaped([input.shape[0], 1, input.shape[1], input.shape[2]])
        let filter = try kernel.reshaped([1] + kernel.shape)
        let output = try Tensor.conv2d(images, filter: filter, bias: bias?.tensor, strides: (1, strides), padding: padding)
        return try output.reshaped([output.shape[0], output.shape[2], output.shape[3]])
    }

    /// Keras's config (`get_config()`).
    public override var config: LayerConfig {
        convolutionConfig(super.config, kernelSize: [kernelSize], strides: [strides], padding: padding, dilationRate: [1])
            .merging(["filters": .int(filters), "groups": .int(1)]) { $1 }
    }
}

extension Conv1D: KerasSerializable {
    /// Keras's `Conv1D.from_config` (no dilation, groups or causal padding).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireAbsent(["kernel_constraint", "bias_constraint", "lora_rank"])
        try reader.requireChannelsLast()
        if let dilation = try reader.oneLength("dilation_rate"), dilation != 1 { throw reader.fail("dilation_rate \(dilation) is not supported (only 1)") }
        if reader.has("groups") { try reader.require("groups", equals: .int(1)) }
        if reader.config["padding"]?.stringValue == "causal" { throw reader.fail("padding 'causal' is not supported (valid or same)") }
        guard let kernel = try reader.oneLength("kernel_size") else { throw reader.fail("\"kernel_size\" is missing") }
        self.init(try reader.int("filters"), kernelSize: kernel, strides: try reader.oneLength("strides") ?? 1,
                      padding: PaddingArgument(try reader.padding()), activation: try reader.activation(),
                      useBias: try reader.bool("use_bias", default: true),
                      kernelInitializer: try reader.initializer("kernel_initializer", default: .glorotUniform),
                      biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                      kernelRegularizer: try reader.regularizer("kernel_regularizer"),
                      biasRegularizer: try reader.regularizer("bias_regularizer"),
                      activityRegularizer: try reader.regularizer("activity_regularizer"), name: try reader.layerName())
    }
}
