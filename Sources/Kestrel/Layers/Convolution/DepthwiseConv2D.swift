/// Depthwise 2-D convolution over NHWC images (Keras's `DepthwiseConv2D`): each input channel is
/// convolved with its own `depthMultiplier` kernels, without mixing channels, giving
/// `channels · depthMultiplier` outputs; then `activation(… + bias)`. The kernel has shape
/// [kh, kw, inputChannels, depthMultiplier] and, as in Keras 3, is the weight named "kernel".
public final class DepthwiseConv2D: KernelLayer, @unchecked Sendable {
    /// Height and width of the kernel window.
    public let kernelSize: WindowSize
    /// Step of the window along height and width.
    public let strides: WindowSize
    /// 'valid' (no padding) or 'same' (output size = input size / stride).
    public let padding: Padding
    /// Kernels per input channel (output channels = input channels × depthMultiplier).
    public let depthMultiplier: Int
    /// Spacing between the kernel's taps (Keras's `dilation_rate`; 1 = a dense kernel).
    public let dilationRate: WindowSize

    /// Keras's `depthwise_initializer` (default glorot_uniform).
    public var depthwiseInitializer: Initializer { kernelInitializer }
    /// Keras's `depthwise_regularizer`.
    public var depthwiseRegularizer: Regularizer? { kernelRegularizer }

    /// Makes a depthwise convolution with Keras's defaults (strides 1, 'valid', depth multiplier 1,
    /// no dilation, glorot_uniform kernel, zero bias).
    public init(kernelSize: WindowSize, strides: WindowSize = 1, padding: PaddingArgument = .valid, depthMultiplier: Int = 1,
                dilationRate: WindowSize = 1, activation: ActivationFunction = .linear, useBias: Bool = true,
                depthwiseInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                depthwiseRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding.resolved
        self.depthMultiplier = depthMultiplier
        self.dilationRate = dilationRate
        super.init(activation: activation, useBias: useBias, kernelInitializer: depthwiseInitializer,
                   biasInitializer: biasInitializer, kernelRegularizer: depthwiseRegularizer, biasRegularizer: biasRegularizer,
                   activityRegularizer: activityRegularizer, name: name)
        inputShapeArgument = inputShape
        requirePadding(padding)
        requireSpatialArguments(self, kernelSize: kernelSize, strides: strides, dilationRate: dilationRate)
        requireArgument(depthMultiplier > 0, "depthMultiplier", mustBe: "a positive integer", got: depthMultiplier)
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        try depthwiseOutputShape(inputShape, kernelSize: kernelSize, dilationRate: dilationRate, strides: strides,
                                 padding: padding, depthMultiplier: depthMultiplier, layer: "DepthwiseConv2D '\(name)'")
    }

    /// Creates the layer's weights for samples of `inputShape`; throws naming the layer when the shape does not fit.
    public override func build(inputShape: [Int]) throws {
        _ = try computeOutputShape(inputShape)
        try buildKernelAndBias(kernelShape: [kernelSize.height, kernelSize.width, inputShape[2], depthMultiplier],
                               biasCount: inputShape[2] * depthMultiplier)
    }

    /// The forward pass without the final activation, which `fit` fuses into the loss.
    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        try Tensor.depthwiseConv2d(input, filter: try builtKernel().tensor, bias: bias?.tensor, strides: strides.pair,
                                   padding: padding, dilation: dilationRate.pair)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        convolutionConfig(depthwiseKernelConfig(super.config), kernelSize: kernelSize.ints, strides: strides.ints, padding: padding,
                          dilationRate: dilationRate.ints).merging(["depth_multiplier": .int(depthMultiplier)]) { $1 }
    }
}

/// Records problems with the window arguments the depthwise and separable convolutions share
/// (Keras refuses strides and dilation both above 1).
func requireSpatialArguments(_ layer: Layer, kernelSize: WindowSize, strides: WindowSize, dilationRate: WindowSize) {
    layer.requireArgument(kernelSize.height > 0 && kernelSize.width > 0, "kernelSize", mustBe: "positive", got: kernelSize)
    layer.requireArgument(strides.height > 0 && strides.width > 0, "strides", mustBe: "positive", got: strides)
    layer.requireArgument(dilationRate.height > 0 && dilationRate.width > 0, "dilationRate", mustBe: "positive", got: dilationRate)
    let strided = strides.height > 1 || strides.width > 1, dilated = dilationRate.height > 1 || dilationRate.width > 1
    layer.requireArgument(!(strided && dilated), "dilationRate", mustBe: "1 when strides are above 1 (as in Keras; use strides 1 or dilationRate 1)",
                          got: "\(dilationRate) with strides \(strides)")
}

/// The output shape of a depthwise convolution (DepthwiseConv2D, and SeparableConv2D's first step) on
/// samples of `inputShape`: (height, width, channels × depthMultiplier); throws naming `layer` for an
/// input that is not an image or sizes that overflow.
func depthwiseOutputShape(_ inputShape: [Int], kernelSize: WindowSize, dilationRate: WindowSize, strides: WindowSize,
                          padding: Padding, depthMultiplier: Int, layer: String) throws -> [Int] {
    guard inputShape.count == 3 else {
        throw KestrelError.shapeMismatch(
            "\(layer) needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)); add a channel axis with Reshape([h, w, 1]).")
    }
    let (height, width) = try dilatedWindow(kernelSize, dilationRate, layer: layer)
        .outputSpatialShape(height: inputShape[0], width: inputShape[1], strides: strides, padding: padding, layer: layer)
    let (channels, overflow) = inputShape[2].multipliedReportingOverflow(by: depthMultiplier)
    guard !overflow else {
        throw KestrelError.invalidArgument("\(layer): \(inputShape[2]) channels × depthMultiplier \(depthMultiplier) overflows; use a smaller depthMultiplier.")
    }
    return [height, width, channels]
}

/// The extent of a `kernel` window with taps `dilation` apart: (k − 1)·d + 1 per axis.
func dilatedWindow(_ kernel: WindowSize, _ dilation: WindowSize, layer: String) throws -> WindowSize {
    let (height, heightOverflow) = (kernel.height - 1).multipliedReportingOverflow(by: dilation.height)
    let (width, widthOverflow) = (kernel.width - 1).multipliedReportingOverflow(by: dilation.width)
    guard !heightOverflow, !widthOverflow, height < Int.max, width < Int.max else {
        throw KestrelError.invalidArgument("\(layer): kernel \(kernel) with dilationRate \(dilation) overflows; use a smaller dilationRate.")
    }
    return WindowSize(height + 1, width + 1)
}

extension DepthwiseConv2D: KerasSerializable {
    /// Keras's `DepthwiseConv2D.from_config` (channels_last, no constraints).
    public convenience init(config reader: KerasConfigReader) throws {
        let spatial = try reader.depthwiseArguments()
        self.init(kernelSize: spatial.kernel, strides: spatial.strides, padding: PaddingArgument(spatial.padding),
                  depthMultiplier: spatial.multiplier, dilationRate: spatial.dilation,
                  activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                  depthwiseInitializer: try reader.initializer("depthwise_initializer", default: .glorotUniform),
                  biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                  depthwiseRegularizer: try reader.regularizer("depthwise_regularizer"), biasRegularizer: try reader.regularizer("bias_regularizer"),
                  activityRegularizer: try reader.regularizer("activity_regularizer"), name: try reader.layerName())
    }
}
