extension Tensor {
    /// Applies `transform` to every element on the host (no gradient is recorded). This runs a Swift
    /// closure, so it is not a backend kernel: engine operations use `unary(_:)` instead.
    @inline(__always)
    public func mapped(_ transform: (Float) -> Float) -> Tensor {
        let result = TensorBuffer(count: count)
        let input = buffer.pointer, output = result.pointer
        Parallel.forEachRange(count: count, minimumPerThread: 1 << 15) { range in
            for index in range { output[index] = transform(input[index]) }
        }
        return Tensor(shape: shape, buffer: result)
    }

    /// `op` applied to every element by the current backend (no gradient is recorded).
    func unary(_ op: UnaryKernel) -> Tensor {
        let backend = Backends.current
        let result = TensorBuffer(count: count)
        withExtendedLifetime(self) { backend.unary(op, buffer.pointer, result.pointer, count: count) }
        return Tensor(shape: shape, buffer: result)
    }

    /// `op(a, b)` with broadcasting into a new tensor of `outputShape` by the current backend (no
    /// gradient is recorded; the shapes must broadcast to `outputShape`).
    static func elementwise(_ op: BinaryKernel, _ a: Tensor, _ b: Tensor, outputShape: [Int]) -> Tensor {
        let backend = Backends.current
        let result = TensorBuffer(count: elementCount(outputShape))
        withExtendedLifetime((a, b)) {
            backend.binary(op, a.buffer.pointer, shapeA: a.shape, b.buffer.pointer, shapeB: b.shape, result.pointer,
                           outputShape: outputShape)
        }
        return Tensor(shape: outputShape, buffer: result)
    }

    /// Combines two same-shape tensors elementwise (no gradient is recorded).
    func zipped(_ other: Tensor, _ op: BinaryKernel) -> Tensor {
        Tensor.elementwise(op, self, other, outputShape: shape)
    }

    /// e^x.
    public func exp() -> Tensor {
        let output = unary(.exp)
        return Tensor.record(output, inputs: [self]) { gradient, _ in [gradient.zipped(output.detached, .multiply)] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let input = detached
        return Tensor.record(unary(.log), inputs: [self]) { gradient, _ in [gradient.zipped(input, .divide)] }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        let output = unary(.sqrt)
        return Tensor.record(output, inputs: [self]) { gradient, _ in [gradient.zipped(output.detached, .sqrtBackward)] }
    }

    /// x².
    public func squared() -> Tensor {
        let input = detached
        return Tensor.record(unary(.square), inputs: [self]) { gradient, _ in [gradient.zipped(input, .squareBackward)] }
    }

    /// x raised to a constant power.
    public func pow(_ exponent: Float) -> Tensor {
        let input = detached
        return Tensor.record(unary(.pow(exponent)), inputs: [self]) { gradient, _ in
            [gradient.zipped(input, .powBackward(exponent))]
        }
    }

    /// |x| (gradient sign(x), 0 at 0).
    public func abs() -> Tensor {
        let input = detached
        return Tensor.record(unary(.abs), inputs: [self]) { gradient, _ in [gradient.zipped(input, .absBackward)] }
    }

    /// max(x, 0) (NaN gives 0).
    public func relu() -> Tensor {
        let output = unary(.relu)
        return Tensor.record(output, inputs: [self]) { gradient, _ in [gradient.zipped(output.detached, .reluBackward)] }
    }

    /// 1 / (1 + e^-x).
    public func sigmoid() -> Tensor {
        let output = unary(.sigmoid)
        return Tensor.record(output, inputs: [self]) { gradient, _ in [gradient.zipped(output.detached, .sigmoidBackward)] }
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        let output = unary(.tanh)
        return Tensor.record(output, inputs: [self]) { gradient, _ in [gradient.zipped(output.detached, .tanhBackward)] }
    }

    /// Values limited to [lower, upper] (gradient passes only inside the interval).
    public func clipped(lower: Float, upper: Float) -> Tensor {
        let input = detached
        return Tensor.record(unary(.clip(lower: lower, upper: upper)), inputs: [self]) { gradient, _ in
            [gradient.zipped(input, .clipBackward(lower: lower, upper: upper))]
        }
    }
}
