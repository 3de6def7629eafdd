extension Tensor {
    /// Depthwise 2-D convolution of an NHWC batch (Keras's `DepthwiseConv2D`, TensorFlow's
    /// `depthwise_conv2d`): every input channel is convolved with its own `multiplier` kernels and no
    /// channels are mixed.
    ///
    /// - Parameters:
    ///   - input: `[batch, height, width, channels]`.
    ///   - filter: `[kernelHeight, kernelWidth, channels, multiplier]`, the layout Keras stores
    ///     depthwise kernels in.
    ///   - bias: `[channels · multiplier]`, or nil.
    ///   - strides: vertical and horizontal step between windows.
    ///   - padding: `.valid` or `.same` (TensorFlow's rules, on the dilated window).
    ///   - dilation: spacing between kernel taps (1 = dense kernel).
    /// - Returns: `[batch, outHeight, outWidth, channels · multiplier]`, output channel `c · multiplier + m`
    ///   coming from input channel `c` and kernel `m`; differentiable with respect to all three inputs.
    public static func depthwiseConv2d(_ input: Tensor, filter: Tensor, bias: Tensor? = nil, strides: (Int, Int) = (1, 1),
                                       padding: Padding = .valid, dilation: (Int, Int) = (1, 1)) throws -> Tensor {
        guard filter.rank == 4 else {
            throw KestrelError.shapeMismatch(
                "depthwiseConv2d: filter must have rank 4 [kernelHeight, kernelWidth, channels, multiplier], got shape \(filter.shape).")
        }
        let plan = try DepthwiseConvolutionKernel.Plan(inputShape: input.shape, filterShape: filter.shape, strides: strides,
                                                       padding: padding, dilation: dilation)
        if let bias, bias.shape != [plan.outputChannels] {
            throw KestrelError.shapeMismatch(
                "depthwiseConv2d: bias shape \(bias.shape) must be [\(plan.outputChannels)] (channels · multiplier) for filter \(filter.shape).")
        }
        let outputShape = plan.geometry.outputShape(channels: plan.outputChannels)
        try checkResult(outputShape, operation: "depthwiseConv2d")
        let backend = try backend(of: bias.map { [input, filter, $0] } ?? [input, filter], operation: "depthwiseConv2d")
        let result = try backend.makeStorage(checkedCount: elementCount(outputShape))
        backend.depthwiseConvolution(input.storage, filter: filter.storage, bias: bias?.storage, plan: plan, result)
        return recordFilterOperation(Tensor(shape: outputShape, storage: result), input: input, filter: filter, bias: bias,
                                     outputChannels: plan.outputChannels) { backend, input, filter, outputGradient, targets in
            backend.depthwiseConvolutionBackward(input, filter: filter, outputGradient: outputGradient, plan: plan,
                                                 targets: targets)
        }
    }
}
