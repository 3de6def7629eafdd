extension KerasLayerRegistry {
    /// The registry entries of the depthwise and separable convolutions.
    static let separableLayerEntries: [Entry] = [
        Entry(className: "DepthwiseConv2D", make: depthwiseConv2D, parameterCount: { layer, shape in
            guard let conv = layer as? DepthwiseConv2D, shape.count == 3 else { return 0 }
            let outputs = shape[2] &* conv.depthMultiplier
            return conv.kernelSize.height &* conv.kernelSize.width &* outputs &+ (conv.useBias ? outputs : 0)
        }),
        Entry(className: "SeparableConv2D", make: separableConv2D, parameterCount: { layer, shape in
            guard let conv = layer as? SeparableConv2D, shape.count == 3 else { return 0 }
            let middle = shape[2] &* conv.depthMultiplier
            return conv.kernelSize.height &* conv.kernelSize.width &* middle &+ middle &* conv.filters &+ (conv.useBias ? conv.filters : 0)
        }),
    ]

    /// The settings both layers read the same way: window, strides, padding, dilation and multiplier.
    private static func spatialArguments(_ reader: KerasConfigReader) throws
        -> (kernel: WindowSize, strides: WindowSize, padding: Padding, dilation: WindowSize, multiplier: Int) {
        try reader.requireChannelsLast()
        try reader.requireAbsent(["depthwise_constraint", "pointwise_constraint", "bias_constraint"])
        guard let kernel = try reader.window("kernel_size") else { throw reader.fail("\"kernel_size\" is missing") }
        return (kernel, try reader.window("strides") ?? 1, try reader.padding(), try reader.window("dilation_rate") ?? 1,
                try reader.int("depth_multiplier", default: 1))
    }

    private static func depthwiseConv2D(_ reader: KerasConfigReader) throws -> Layer {
        let spatial = try spatialArguments(reader)
        return DepthwiseConv2D(kernelSize: spatial.kernel, strides: spatial.strides, padding: PaddingArgument(spatial.padding),
                               depthMultiplier: spatial.multiplier, dilationRate: spatial.dilation,
                               activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                               depthwiseInitializer: try reader.initializer("depthwise_initializer", default: .glorotUniform),
                               biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                               depthwiseRegularizer: try reader.regularizer("depthwise_regularizer"),
                               biasRegularizer: try reader.regularizer("bias_regularizer"),
                               activityRegularizer: try reader.regularizer("activity_regularizer"),
                               name: reader.has("name") ? try reader.string("name") : nil)
    }

    private static func separableConv2D(_ reader: KerasConfigReader) throws -> Layer {
        let spatial = try spatialArguments(reader)
        return SeparableConv2D(try reader.int("filters"), kernelSize: spatial.kernel, strides: spatial.strides, padding: PaddingArgument(spatial.padding),
                               depthMultiplier: spatial.multiplier, dilationRate: spatial.dilation,
                               activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                               depthwiseInitializer: try reader.initializer("depthwise_initializer", default: .glorotUniform),
                               pointwiseInitializer: try reader.initializer("pointwise_initializer", default: .glorotUniform),
                               biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                               depthwiseRegularizer: try reader.regularizer("depthwise_regularizer"),
                               pointwiseRegularizer: try reader.regularizer("pointwise_regularizer"),
                               biasRegularizer: try reader.regularizer("bias_regularizer"),
                               activityRegularizer: try reader.regularizer("activity_regularizer"),
                               name: reader.has("name") ? try reader.string("name") : nil)
    }
}
