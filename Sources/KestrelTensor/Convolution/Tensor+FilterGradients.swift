/// The raw buffers a filter operation's backward kernel writes: nil for a gradient not needed.
struct FilterGradientTargets {
    let input: UnsafeMutablePointer<Float>?
    let filter: UnsafeMutablePointer<Float>?
    let bias: UnsafeMutablePointer<Float>?
}

extension Tensor {
    /// Attaches the gradient rule of a filter operation (conv2d, depthwiseConv2d) to `output`: it
    /// allocates the input, filter and bias gradients that are needed, lets `kernel(input, filter,
    /// outputGradient, targets)` fill them, and returns them in the order of the operation's inputs.
    static func recordFilterOperation(
        _ output: Tensor, input: Tensor, filter: Tensor, bias: Tensor?, outputChannels: Int,
        kernel: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, FilterGradientTargets) -> Void
    ) -> Tensor {
        let (inputValue, filterValue) = (input.detached, filter.detached)
        let inputs = bias.map { [input, filter, $0] } ?? [input, filter]
        return record(output, inputs: inputs) { gradient, needed in
            let inputGradient = needed[0] ? TensorBuffer(count: inputValue.count) : nil
            let filterGradient = needed[1] ? TensorBuffer(count: filterValue.count) : nil
            let biasGradient = inputs.count == 3 && needed[2] ? TensorBuffer(count: outputChannels) : nil
            withExtendedLifetime((inputValue, filterValue, gradient)) {
                kernel(inputValue.buffer.pointer, filterValue.buffer.pointer, gradient.buffer.pointer,
                       FilterGradientTargets(input: inputGradient?.pointer, filter: filterGradient?.pointer, bias: biasGradient?.pointer))
            }
            var gradients: [Tensor?] = [inputGradient.map { Tensor(shape: inputValue.shape, buffer: $0) },
                                        filterGradient.map { Tensor(shape: filterValue.shape, buffer: $0) }]
            if inputs.count == 3 { gradients.append(biasGradient.map { Tensor(shape: [outputChannels], buffer: $0) }) }
            return gradients
        }
    }
}
