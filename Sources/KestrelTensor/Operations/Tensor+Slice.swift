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
        let result = TensorBuffer(count: outer * taken * inner)
        for block in 0..<outer {
            (result.pointer + block * taken * inner)
                .update(from: buffer.pointer + (block * length + range.lowerBound) * inner, count: taken * inner)
        }
        let fullShape = shape
        return Tensor.record(Tensor(shape: outputShape, buffer: result), inputs: [self]) { gradient, _ in
            let full = TensorBuffer(count: outer * length * inner, repeating: 0)
            for block in 0..<outer {
                (full.pointer + (block * length + range.lowerBound) * inner)
                    .update(from: gradient.buffer.pointer + block * taken * inner, count: taken * inner)
            }
            return [Tensor(shape: fullShape, buffer: full)]
        }
    }
}
