extension Tensor {
    /// Attaches the gradient rule of a filter operation (conv2d, depthwiseConv2d) to `output`: it
    /// allocates the input, filter and bias gradients that are needed on the gradient's device, lets
    /// `kernel(backend, input, filter, outputGradient, targets)` fill them, and returns them in the
    /// order of the operation's inputs.
    static func recordFilterOperation(
        _ output: Tensor, input: Tensor, filter: Tensor, bias: Tensor?, outputChannels: Int,
        kernel: @escaping (any KernelBackend, Storage, Storage, Storage, FilterGradientTargets) -> Void
    ) -> Tensor {
        let (inputValue, filterValue) = (input.detached, filter.detached)
        let inputs = bias.map { [input, filter, $0] } ?? [input, filter]
        return record(output, inputs: inputs) { gradient, needed in
            let backend = gradient.backend
            let inputGradient = needed[0] ? backend.makeStorage(count: inputValue.count) : nil
            let filterGradient = needed[1] ? backend.makeStorage(count: filterValue.count) : nil
            let biasGradient = inputs.count == 3 && needed[2] ? backend.makeStorage(count: outputChannels) : nil
            kernel(backend, inputValue.storage, filterValue.storage, gradient.storage,
                   FilterGradientTargets(input: inputGradient, filter: filterGradient, bias: biasGradient))
            var gradients: [Tensor?] = [inputGradient.map { Tensor(shape: inputValue.shape, storage: $0) },
                                        filterGradient.map { Tensor(shape: filterValue.shape, storage: $0) }]
            if inputs.count == 3 { gradients.append(biasGradient.map { Tensor(shape: [outputChannels], storage: $0) }) }
            return gradients
        }
    }
}
