import KestrelTensor

/// The tensors of one `onednn-conv` shape and a way to run each pass through `Tensor.conv2d` alone:
/// the forward with bias; the input gradient (kernel not tracked); the kernel and bias gradients
/// (input not tracked). The backward passes time only `gradient(of:)` over a recorded forward.
struct OneDNNBenchmarkWorkload {
    let shape: OneDNNBenchmarkShape
    let input: Tensor
    let filter: Tensor
    let bias: Tensor
    let outputGradient: Tensor

    init(_ shape: OneDNNBenchmarkShape) throws {
        self.shape = shape
        var generator = RandomGenerator(seed: 3)
        input = try Tensor.randomUniform(shape.input, generator: &generator)
        filter = try Tensor.randomNormal(shape.filter, standardDeviation: 0.05, generator: &generator)
        bias = try Tensor.randomNormal([shape.filter[3]], standardDeviation: 0.05, generator: &generator)
        let (height, width) = shape.outputSize
        outputGradient = try Tensor.randomNormal([shape.input[0], height, width, shape.filter[3]], generator: &generator)
    }

    /// What one timed run of `pass` does: the forward convolution, or `gradient(of:)` over a forward
    /// recorded here (untimed).
    func pass(_ pass: OneDNNConvolutionPass) throws -> () throws -> Void {
        let (input, filter, bias, shape, outputGradient) = (input, filter, bias, shape, outputGradient)
        switch pass {
        case .forward:
            return { _ = try Tensor.conv2d(input, filter: filter, bias: bias, strides: shape.strides, padding: shape.padding) }
        case .inputGradient:
            let tracked = input.requiringGradient()
            let output = try Tensor.conv2d(tracked, filter: filter, strides: shape.strides, padding: shape.padding)
            return { _ = try gradient(of: output, wrt: [tracked], outputGradient: outputGradient) }
        case .filterGradient:
            let (trackedFilter, trackedBias) = (filter.requiringGradient(), bias.requiringGradient())
            let output = try Tensor.conv2d(input, filter: trackedFilter, bias: trackedBias, strides: shape.strides,
                                           padding: shape.padding)
            return { _ = try gradient(of: output, wrt: [trackedFilter, trackedBias], outputGradient: outputGradient) }
        }
    }
}
