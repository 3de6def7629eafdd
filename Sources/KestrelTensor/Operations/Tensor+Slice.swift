extension Tensor {
    /// The elements at positions `range` along `axis` (negative counts from the end), all other axes
    /// whole: `x.slice(axis: 1, range: 2..<5)` is NumPy's `x[:, 2:5]`. Copies; the gradient scatters
    /// back into zeros of the input's shape.
    public func slice(axis: Int, range: Range<Int>) throws -> Tensor {
        let axis = try normalizedAxis(axis)
        guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
            throw KestrelError.invalidArgument("slice \(range) is outside axis \(axis) of shape \(shape).")
        }
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let (length, taken) = (shape[axis], range.count)
        var outputShape = shape
        outputShape[axis] = taken
        let result = backend.makeStorage(count: outer * taken * inner)
        backend.copyBlocks(from: storage, offset: range.lowerBound * inner, stride: length * inner, to: result, offset: 0,
                           stride: taken * inner, blocks: outer, length: taken * inner)
        let fullShape = shape
        return Tensor.record(Tensor(shape: outputShape, storage: result), inputs: [self]) { gradient, _ in
            let full = Tensor.filled(fullShape, value: 0, on: gradient.device)
            gradient.backend.copyBlocks(from: gradient.storage, offset: 0, stride: taken * inner, to: full.storage,
                                        offset: range.lowerBound * inner, stride: length * inner, blocks: outer,
                                        length: taken * inner)
            return [full]
        }
    }
}
