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
        let result = backend.makeStorage(count: count)
        backend.softmax(storage, result, outer: outer, length: length, inner: inner, log: log)
        let output = Tensor(shape: shape, storage: result)
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            let backend = gradient.backend
            let dx = backend.makeStorage(count: output.count)
            backend.softmaxBackward(output.storage, gradient.storage, dx, outer: outer, length: length, inner: inner, log: log)
            return [Tensor(shape: output.shape, storage: dx)]
        }
    }
}
