/// Depthwise-separable 2-D convolution over NHWC images (Keras's `SeparableConv2D`): a depthwise
/// convolution (each channel with its own `depthMultiplier` kernels) followed by a 1×1 pointwise
/// convolution to `filters` channels, then `activation(… + bias)`. Weights, in Keras's order:
/// depthwise_kernel [kh, kw, inputChannels, depthMultiplier], pointwise_kernel
/// [1, 1, inputChannels · depthMultiplier, filters], bias [filters].
public final class SeparableConv2D: KernelLayer, @unchecked Sendable {
    /// Number of output channels.
    public let filters: Int
    /// Height and width of the depthwise window.
    public let kernelSize: WindowSize
    /// Step of the depthwise window along height and width.
    public let strides: WindowSize
    /// 'valid' (no padding) or 'same' (output size = input size / stride).
    public let padding: Padding
    /// Depthwise kernels per input channel.
    public let depthMultiplier: Int
    /// Spacing between the depthwise kernel's taps (1 = a dense kernel).
    public let dilationRate: WindowSize
    /// How the pointwise kernel starts (Keras default glorot_uniform).
    public let pointwiseInitializer: Initializer
    /// Penalty on the pointwise kernel added to the training loss.
    public let pointwiseRegularizer: Regularizer?
    /// The pointwise kernel, once built.
    public private(set) var pointwiseKernel: Variable?

    /// How the depthwise kernel starts (Keras default glorot_uniform).
    public var depthwiseInitializer: Initializer { kernelInitializer }
    /// Penalty on the depthwise kernel added to the training loss.
    public var depthwiseRegularizer: Regularizer? { kernelRegularizer }
    /// The depthwise kernel, once built.
    public var depthwiseKernel: Variable? { kernel }

    /// Makes a separable convolution with Keras's defaults (strides 1, 'valid', depth multiplier 1, no
    /// dilation, glorot_uniform kernels, zero bias).
    public init(_ filters: Int, kernelSize: WindowSize, strides: WindowSize = 1, padding: PaddingArgument = .valid,
                depthMultiplier: Int = 1, dilationRate: WindowSize = 1, activation: ActivationFunction = .linear,
                useBias: Bool = true, depthwiseInitializer: Initializer = .glorotUniform,
                pointwiseInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                depthwiseRegularizer: Regularizer? = nil, pointwiseRegularizer: Regularizer? = nil,
                biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding.resolved
        self.depthMultiplier = depthMultiplier
        self.dilationRate = dilationRate
        self.pointwiseInitializer = pointwiseInitializer
        self.pointwiseRegularizer = pointwiseRegularizer
        super.init(activation: activation, useBias: useBias, kernelInitializer: depthwiseInitializer,
                   biasInitializer: biasInitializer, kernelRegularizer: depthwiseRegularizer, biasRegularizer: biasRegularizer,
                   activityRegularizer: activityRegularizer, name: name)
        inputShapeArgument = inputShape
        requirePadding(padding)
        requireArgument(filters > 0, "filters", mustBe: "a positive integer", got: filters)
        requireSpatialArguments(self, kernelSize: kernelSize, strides: strides, dilationRate: dilationRate)
        requireArgument(depthMultiplier > 0, "depthMultiplier", mustBe: "a positive integer", got: depthMultiplier)
        requireRegularizers([(pointwiseRegularizer, "pointwiseRegularizer")])
    }

    /// The depthwise kernel is the weight Keras calls "depthwise_kernel", and its arguments `depthwise…`.
    override class var kernelArgument: String { "depthwise" }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        let depthwise = try depthwiseOutputShape(inputShape, kernelSize: kernelSize, dilationRate: dilationRate, strides: strides,
                                                 padding: padding, depthMultiplier: depthMultiplier, layer: "SeparableConv2D '\(name)'")
        return [depthwise[0], depthwise[1], filters]
    }

    /// Creates the layer's weights for samples of `inputShape`; throws naming the layer when the shape does not fit.
    public override func build(inputShape: [Int]) throws {
        _ = try computeOutputShape(inputShape)
        let channels = inputShape[2]
        try buildKernel(name: "depthwise_kernel", shape: [kernelSize.height, kernelSize.width, channels, depthMultiplier])
        pointwiseKernel = try addWeight(name: "pointwise_kernel", shape: [1, 1, channels * depthMultiplier, filters],
                                        initializer: pointwiseInitializer, regularizer: pointwiseRegularizer)
        try buildBias(count: filters)
    }

    /// The forward pass without the final activation, which `fit` fuses into the loss.
    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        let depthwiseKernel = try builtKernel()
        guard let pointwiseKernel else { throw KestrelError.invalidState("SeparableConv2D '\(name)' was called before it was built.") }
        let depthwise = try Tensor.depthwiseConv2d(input, filter: depthwiseKernel.tensor, strides: strides.pair, padding: padding,
                                                   dilation: dilationRate.pair)
        return try Tensor.conv2d(depthwise, filter: pointwiseKernel.tensor, bias: bias?.tensor)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        convolutionConfig(depthwiseKernelConfig(super.config), kernelSize: kernelSize.ints, strides: strides.ints, padding: padding,
                          dilationRate: dilationRate.ints).merging([
            "filters": .int(filters), "depth_multiplier": .int(depthMultiplier), "pointwise_initializer": KerasObjects.serialize(pointwiseInitializer),
            "pointwise_regularizer": KerasObjects.serialize(pointwiseRegularizer), "pointwise_constraint": .null,
        ]) { $1 }
    }
}

extension SeparableConv2D: KerasSerializable {
    /// Keras's `SeparableConv2D.from_config` (channels_last, no constraints).
    public convenience init(config reader: KerasConfigReader) throws {
        let spatial = try reader.depthwiseArguments()
        self.init(try reader.int("filters"), kernelSize: spatial.kernel, strides: spatial.strides, padding: PaddingArgument(spatial.padding),
                  depthMultiplier: spatial.multiplier, dilationRate: spatial.dilation,
                  activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                  depthwiseInitializer: try reader.initializer("depthwise_initializer", default: .glorotUniform),
                  pointwiseInitializer: try reader.initializer("pointwise_initializer", default: .glorotUniform),
                  biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                  depthwiseRegularizer: try reader.regularizer("depthwise_regularizer"),
                  pointwiseRegularizer: try reader.regularizer("pointwise_regularizer"),
                  biasRegularizer: try reader.regularizer("bias_regularizer"),
                  activityRegularizer: try reader.regularizer("activity_regularizer"), name: try reader.layerName())
    }
}
