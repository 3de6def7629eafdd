extension Tensor {
    /// Applies `transform` to every element on the host (no gradient is recorded). This runs a Swift
    /// closure, so it is not a backend kernel: engine operations use `unary(_:)` instead.
    @inline(__always)
    public func mapped(_ transform: (Float) -> Float) -> Tensor {
        let result = backend.makeStorage(count: count)
        backend.map(storage, result, transform)
        return Tensor(shape: shape, storage: result)
    }

    /// `op` applied to every element by this tensor's backend (no gradient is recorded).
    func unary(_ op: UnaryKernel) -> Tensor {
        let backend = self.backend
        let result = backend.makeStorage(count: count)
        backend.unary(op, storage, result, count: count)
        return Tensor(shape: shape, storage: result)
    }

    /// `op(a, b)` with broadcasting into a new tensor of `outputShape` by the operands' backend (no
    /// gradient is recorded; the shapes must broadcast to `outputShape` and both operands must be on
    /// one device: public operations check with `Tensor.backend(of:operation:)` first). A broadcast
    /// result can be far larger than either operand (`[n, 1] + [1, m]`), so its storage is allocated
    /// through the checked path, which throws when the machine cannot provide it.
    static func elementwise(_ op: BinaryKernel, _ a: Tensor, _ b: Tensor, outputShape: [Int]) throws -> Tensor {
        combined(op, a, b, outputShape: outputShape, into: try a.backend.makeStorage(checkedCount: elementCount(outputShape)))
    }

    /// Combines two same-shape tensors elementwise (no gradient is recorded); the result is the size of
    /// a tensor that already exists.
    func zipped(_ other: Tensor, _ op: BinaryKernel) -> Tensor {
        Tensor.combined(op, self, other, outputShape: shape, into: backend.makeStorage(count: count))
    }

    /// `op(a, b)` with broadcasting, written into `result`, a storage of `outputShape`'s size.
    private static func combined(_ op: BinaryKernel, _ a: Tensor, _ b: Tensor, outputShape: [Int],
                                 into result: any DeviceStorage) -> Tensor {
        a.backend.binary(op, a.storage, shapeA: a.shape, b.storage, shapeB: b.shape, result, outputShape: outputShape)
        return Tensor(shape: outputShape, storage: result)
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
