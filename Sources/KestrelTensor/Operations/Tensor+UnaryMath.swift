#if canImport(Glibc)
import Glibc
#endif

extension Tensor {
    /// Applies `transform` to every element (no gradient is recorded).
    @inline(__always)
    public func mapped(_ transform: (Float) -> Float) -> Tensor {
        let result = TensorBuffer(count: count)
        let input = buffer.pointer, output = result.pointer
        Parallel.forEachRange(count: count, minimumPerThread: 1 << 15) { range in
            for index in range { output[index] = transform(input[index]) }
        }
        return Tensor(shape: shape, buffer: result)
    }

    /// Combines two same-shape tensors elementwise (no gradient is recorded).
    @inline(__always)
    func zipped(_ other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        Broadcasting.apply(self, other, outputShape: shape, combine)
    }

    /// e^x.
    public func exp() -> Tensor {
        let output = mapped { expf($0) }
        return Tensor.record(output, inputs: [self]) { gradient, _ in [gradient.zipped(output.detached, *)] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let input = detached
        return Tensor.record(mapped { logf($0) }, inputs: [self]) { gradient, _ in [gradient.zipped(input, /)] }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        let output = mapped { $0.squareRoot() }
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            [gradient.zipped(output.detached) { $0 * 0.5 / $1 }]
        }
    }

    /// x².
    public func squared() -> Tensor {
        let input = detached
        return Tensor.record(mapped { $0 * $0 }, inputs: [self]) { gradient, _ in
            [gradient.zipped(input) { $0 * 2 * $1 }]
        }
    }

    /// x raised to a constant power.
    public func pow(_ exponent: Float) -> Tensor {
        let input = detached
        return Tensor.record(mapped { powf($0, exponent) }, inputs: [self]) { gradient, _ in
            [gradient.zipped(input) { $0 * exponent * powf($1, exponent - 1) }]
        }
    }

    /// |x| (gradient sign(x), 0 at 0).
    public func abs() -> Tensor {
        let input = detached
        return Tensor.record(mapped { Swift.abs($0) }, inputs: [self]) { gradient, _ in
            [gradient.zipped(input) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) }]
        }
    }

    /// max(x, 0) (NaN gives 0). Uses SIMD kernels rather than `mapped`/`zipped` (per-element closure
    /// calls and branches): ReLU runs on every activation of a CNN.
    public func relu() -> Tensor {
        let result = TensorBuffer(count: count)
        let input = buffer.pointer, output = result.pointer
        Parallel.forEachRange(count: count, minimumPerThread: 1 << 15) { range in
            ActivationKernels.relu(input, output, range)
        }
        let forward = Tensor(shape: shape, buffer: result)
        return Tensor.record(forward, inputs: [self]) { gradient, _ in
            let inputGradient = TensorBuffer(count: result.count)
            let dy = gradient.buffer.pointer, y = result.pointer, dx = inputGradient.pointer
            Parallel.forEachRange(count: result.count, minimumPerThread: 1 << 15) { range in
                ActivationKernels.reluBackward(output: y, outputGradient: dy, inputGradient: dx, range)
            }
            return [Tensor(shape: forward.shape, buffer: inputGradient)]
        }
    }

    /// 1 / (1 + e^-x).
    public func sigmoid() -> Tensor {
        let output = mapped { 1 / (1 + expf(-$0)) }
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            [gradient.zipped(output.detached) { $0 * $1 * (1 - $1) }]
        }
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        let output = mapped { tanhf($0) }
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            [gradient.zipped(output.detached) { $0 * (1 - $1 * $1) }]
        }
    }

    /// Values limited to [lower, upper] (gradient passes only inside the interval).
    public func clipped(lower: Float, upper: Float) -> Tensor {
        let input = detached
        return Tensor.record(mapped { Swift.min(Swift.max($0, lower), upper) }, inputs: [self]) { gradient, _ in
            [gradient.zipped(input) { $1 >= lower && $1 <= upper ? $0 : 0 }]
        }
    }
}
