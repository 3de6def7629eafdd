extension Tensor {
    /// 2-D convolution (cross-correlation, as in Keras) of an NHWC batch.
    ///
    /// - Parameters:
    ///   - input: `[batch, height, width, inChannels]`.
    ///   - filter: `[kernelHeight, kernelWidth, inChannels, outChannels]`, the layout Keras stores
    ///     `Conv2D` kernels in.
    ///   - bias: `[outChannels]`, or nil.
    ///   - strides: vertical and horizontal step between windows.
    ///   - padding: `.valid` (no padding) or `.same` (TensorFlow's rules, extra row/column at the end).
    ///   - relu: when true, returns `relu(conv + bias)` in one operation (what `Conv2D(activation: .relu)`
    ///     computes): the CPU backend's Winograd path applies it in its output transform, and its gradient
    ///     applies the mask `output > 0` while reading the output gradient (other paths mask it first).
    /// - Returns: `[batch, outHeight, outWidth, outChannels]`, differentiable with respect to all three.
    public static func conv2d(_ input: Tensor, filter: Tensor, bias: Tensor? = nil, strides: (Int, Int) = (1, 1),
                              padding: Padding = .valid, relu: Bool = false) throws -> Tensor {
        guard filter.rank == 4 else {
            throw KestrelError.shapeMismatch(
                "conv2d: filter must have rank 4 [kernelHeight, kernelWidth, inChannels, outChannels], got shape \(filter.shape).")
        }
        let geometry = try WindowGeometry(operation: "conv2d", inputShape: input.shape,
                                          window: (filter.shape[0], filter.shape[1]), strides: strides, padding: padding)
        guard filter.shape[2] == geometry.channels else {
            throw KestrelError.shapeMismatch(
                "conv2d: input \(input.shape) has \(geometry.channels) channels but filter \(filter.shape) expects \(filter.shape[2]) (filter is [KH, KW, inChannels, outChannels]).")
        }
        let outChannels = filter.shape[3]
        if let bias, bias.shape != [outChannels] {
            throw KestrelError.shapeMismatch("conv2d: bias shape \(bias.shape) must be [\(outChannels)] for filter \(filter.shape).")
        }
        let outputShape = geometry.outputShape(channels: outChannels)
        try checkResult(outputShape, operation: "conv2d")
        let backend = try backend(of: bias.map { [input, filter, $0] } ?? [input, filter], operation: "conv2d")
        let result = try backend.makeStorage(checkedCount: elementCount(outputShape))
        backend.convolution(input.storage, filter: filter.storage, bias: bias?.storage, geometry: geometry,
                            outputChannels: outChannels, relu: relu, result)
        let reluOutput = relu ? result : nil
        return recordFilterOperation(Tensor(shape: outputShape, storage: result), input: input, filter: filter, bias: bias,
                                     outputChannels: outChannels) { backend, input, filter, outputGradient, targets in
            backend.convolutionBackward(input, filter: filter, outputGradient: outputGradient, reluOutput: reluOutput,
                                        geometry: geometry, outputChannels: outChannels, targets: targets)
        }
    }
}
