/// 2-D convolution over NHWC images (Keras's `Conv2D`): `activation(conv(x, kernel) + bias)` with a
/// kernel of shape [kh, kw, inputChannels, filters].
public final class Conv2D: KernelLayer, @unchecked Sendable {
    /// Number of output channels.
    public let filters: Int
    /// Height and width of the kernel window.
    public let kernelSize: WindowSize
    /// Step of the window along height and width.
    public let strides: WindowSize
    /// 'valid' (no padding) or 'same' (output size = input size / stride).
    public let padding: Padding

    /// Makes a convolution layer with Keras's defaults (strides 1, 'valid', glorot_uniform, zero bias).
    public init(_ filters: Int, kernelSize: WindowSize, strides: WindowSize = 1, padding: PaddingArgument = .valid,
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
        requireArgument(kernelSize.height > 0 && kernelSize.width > 0, "kernelSize", mustBe: "positive", got: kernelSize)
        requireArgument(strides.height > 0 && strides.width > 0, "strides", mustBe: "positive", got: strides)
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch(
                "Conv2D '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)); add a channel axis with Reshape([h, w, 1]).")
        }
        let (height, width) = try kernelSize.outputSpatialShape(height: inputShape[0], width: inputShape[1],
                                                                strides: strides, padding: padding, layer: "Conv2D '\(name)'")
        return [height, width, filters]
    }

    /// Creates the layer's weights for samples of `inputShape`; throws naming the layer when the shape does not fit.
    public override func build(inputShape: [Int]) throws {
        _ = try computeOutputShape(inputShape)
        try buildKernelAndBias(kernelShape: [kernelSize.height, kernelSize.width, inputShape[2], filters], biasCount: filters)
    }

    /// The forward pass without the final activation, which `fit` fuses into the loss.
    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        try Tensor.conv2d(input, filter: try builtKernel().tensor, bias: bias?.tensor, strides: strides.pair, padding: padding)
    }

    /// The forward pass on a batch. A ReLU activation is computed inside the convolution
    /// (`Tensor.conv2d(relu: true)`: the same values and gradients, one pass over the output fewer).
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard activation == .relu else { return try super.call(input, training: training) }
        let output = try Tensor.conv2d(input, filter: try builtKernel().tensor, bias: bias?.tensor, strides: strides.pair,
                                       padding: padding, relu: true)
        return try activatedOutput(output, activation: .linear, training: training)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        convolutionConfig(super.config, kernelSize: kernelSize.ints, strides: strides.ints, padding: padding, dilationRate: [1, 1])
            .merging(["filters": .int(filters), "groups": .int(1)]) { $1 }
    }
}

extension Conv2D: KerasSerializable {
    /// Keras's `Conv2D.from_config` (channels_last, dilation 1, one group).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireNoKernelExtras()
        try reader.requireChannelsLast()
        if let dilation = try reader.ints("dilation_rate"), dilation.contains(where: { $0 != 1 }) {
            throw reader.fail("dilation_rate \(dilation) is not supported (only 1)")
        }
        try reader.require("groups", equals: .int(1))
        guard let kernel = try reader.window("kernel_size") else { throw reader.fail("\"kernel_size\" is missing") }
        self.init(try reader.int("filters"), kernelSize: kernel, strides: try reader.window("strides") ?? 1,
                  padding: PaddingArgument(try reader.padding()), activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                  kernelInitializer: try reader.initializer("kernel_initializer", default: .glorotUniform),
                  biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                  kernelRegularizer: try reader.regularizer("kernel_regularizer"), biasRegularizer: try reader.regularizer("bias_regularizer"),
                  activityRegularizer: try reader.regularizer("activity_regularizer"), name: try reader.layerName())
    }
}
