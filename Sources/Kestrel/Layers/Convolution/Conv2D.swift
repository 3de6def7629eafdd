/// 2-D convolution over NHWC images (Keras's `Conv2D`): `activation(conv(x, kernel) + bias)` with a
/// kernel of shape [kh, kw, inputChannels, filters].
public final class Conv2D: Layer, @unchecked Sendable {
    public let filters: Int
    public let kernelSize: WindowSize
    public let strides: WindowSize
    public let padding: Padding
    public let activation: ActivationFunction
    public let useBias: Bool
    public let kernelInitializer: Initializer
    public let biasInitializer: Initializer
    public let kernelRegularizer: Regularizer?
    public let biasRegularizer: Regularizer?
    public let activityRegularizer: Regularizer?
    public private(set) var kernel: Variable?
    public private(set) var bias: Variable?

    /// Makes a convolution layer with Keras's defaults (strides 1, 'valid', glorot_uniform, zero bias).
    public init(_ filters: Int, kernelSize: WindowSize, strides: WindowSize = 1, padding: Padding = .valid,
                activation: ActivationFunction = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, name: String? = nil) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        self.kernelRegularizer = kernelRegularizer
        self.biasRegularizer = biasRegularizer
        self.activityRegularizer = activityRegularizer
        super.init(name: name)
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch(
                "Conv2D '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)); add a channel axis with Reshape([h, w, 1]).")
        }
        let (height, width) = try kernelSize.outputSpatialShape(height: inputShape[0], width: inputShape[1],
                                                                strides: strides, padding: padding, layer: "Conv2D '\(name)'")
        return [height, width, filters]
    }

    public override func build(inputShape: [Int]) throws {
        guard filters > 0 else { throw KestrelError.invalidArgument("Conv2D '\(name)': filters must be positive, got \(filters).") }
        _ = try computeOutputShape(inputShape)
        kernel = try addWeight(name: "kernel", shape: [kernelSize.height, kernelSize.width, inputShape[2], filters],
                           initializer: kernelInitializer, regularizer: kernelRegularizer)
        if useBias { bias = try addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer) }
    }

    public override var fusableOutputActivation: ActivationFunction? {
        activation == .linear || activityRegularizer != nil ? nil : activation
    }

    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw KestrelError.invalidState("Conv2D '\(name)' was called before it was built.") }
        return try Tensor.conv2d(input, filter: kernel.tensor, bias: bias?.tensor, strides: strides.pair, padding: padding)
    }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let output = try activation.apply(callBeforeActivation(input, training: training))
        if training, let activityRegularizer { activityLosses = [try activityRegularizer.penalty(output)] }
        return output
    }

    public override var config: LayerConfig {
        super.config.merging([
            "filters": .int(filters), "kernel_size": .ints(kernelSize.ints), "strides": .ints(strides.ints),
            "padding": .string(padding.rawValue), "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
        ]) { $1 }
    }
}
