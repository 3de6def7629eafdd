extension Tensor {
    /// Softmax along `axis` (numerically stable).
    public func softmax(axis: Int = -1) throws -> Tensor {
        try laneSoftmax(axis: axis, log: false)
    }

    /// log(softmax(x)) along `axis`, computed stably.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        try laneSoftmax(axis: axis, log: true)
    }

    private func laneSoftmax(axis: Int, log: Bool) throws -> Tensor {
        let axis = try normalizedAxis(axis)
        let (outer, length, inner) = splitSizes(axis)
        let backend = Backends.current
        let result = TensorBuffer(count: count)
        withExtendedLifetime(self) {
            backend.softmax(buffer.pointer, result.pointer, outer: outer, length: length, inner: inner, log: log)
        }
        let output = Tensor(shape: shape, buffer: result)
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            let backend = Backends.current
            let dx = TensorBuffer(count: output.count)
            withExtendedLifetime((output, gradient)) {
                backend.softmaxBackward(output.buffer.pointer, gradient.buffer.pointer, dx.pointer, outer: outer,
                                        length: length, inner: inner, log: log)
            }
            return [Tensor(shape: output.shape, buffer: dx)]
        }
    }
}
