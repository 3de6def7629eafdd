#if canImport(Glibc)
import Glibc
#endif

extension CPUBackend {
    /// Unary loops below this many elements per thread stay on one core.
    static let unaryElementsPerThread = 1 << 15

    func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        // One switch per operation; each case runs its own specialised loop.
        switch op {
        case .exp: CPUBackend.map(x, y, count) { expf($0) }
        case .log: CPUBackend.map(x, y, count) { logf($0) }
        case .sqrt: CPUBackend.map(x, y, count) { $0.squareRoot() }
        case .square: CPUBackend.map(x, y, count) { $0 * $0 }
        case .abs: CPUBackend.map(x, y, count) { Swift.abs($0) }
        case .sigmoid: CPUBackend.map(x, y, count) { 1 / (1 + expf(-$0)) }
        case .tanh: CPUBackend.map(x, y, count) { tanhf($0) }
        case .pow(let exponent): CPUBackend.map(x, y, count) { powf($0, exponent) }
        case .relu:
            Parallel.forEachRange(count: count, minimumPerThread: CPUBackend.unaryElementsPerThread) { range in
                ActivationKernels.relu(x, y, range)
            }
        case let .clip(lower, upper): CPUBackend.map(x, y, count) { Swift.min(Swift.max($0, lower), upper) }
        case .addScalar(let value): CPUBackend.map(x, y, count) { $0 + value }
        case .scale(let factor): CPUBackend.map(x, y, count) { $0 * factor }
        case .oneMinus: CPUBackend.map(x, y, count) { 1 - $0 }
        case .nonZero: CPUBackend.map(x, y, count) { $0 != 0 ? 1 : 0 }
        }
    }

    @inline(__always)
    private static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int,
                            _ transform: (Float) -> Float) {
        Parallel.forEachRange(count: count, minimumPerThread: unaryElementsPerThread) { range in
            for index in range { y[index] = transform(x[index]) }
        }
    }

    func binary(_ op: BinaryKernel, _ a: UnsafePointer<Float>, shapeA: [Int], _ b: UnsafePointer<Float>, shapeB: [Int],
                _ out: UnsafeMutablePointer<Float>, outputShape: [Int]) {
        // Each case passes its own closure literal to the inlined loop (a local helper function was
        // not inlined and made every element a closure call).
        typealias B = Broadcasting
        switch op {
        case .add: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 + $1 }
        case .subtract: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 - $1 }
        case .multiply: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 * $1 }
        case .divide: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 / $1 }
        case .maximum: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 >= $1 ? $0 : $1 }
        case .greaterEqualMask: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 >= $1 ? 1 : 0 }
        case .greater: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 > $1 ? 1 : 0 }
        case .less: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 < $1 ? 1 : 0 }
        case .lessEqual: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 <= $1 ? 1 : 0 }
        case .equal: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 == $1 ? 1 : 0 }
        case .notEqual: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 != $1 ? 1 : 0 }
        case .keepWhere: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 != 0 ? $1 : 0 }
        case .dropWhere: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 != 0 ? 0 : $1 }
        case .first: B.apply(a, shapeA, b, shapeB, out, outputShape) { value, _ in value }
        case .sqrtBackward: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 * 0.5 / $1 }
        case .squareBackward: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 * 2 * $1 }
        case .powBackward(let exponent): B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 * exponent * powf($1, exponent - 1) }
        case .absBackward: B.apply(a, shapeA, b, shapeB, out, outputShape) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) }
        case .sigmoidBackward: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 * $1 * (1 - $1) }
        case .tanhBackward: B.apply(a, shapeA, b, shapeB, out, outputShape) { $0 * (1 - $1 * $1) }
        case .clipBackward(let lower, let upper): B.apply(a, shapeA, b, shapeB, out, outputShape) { $1 >= lower && $1 <= upper ? $0 : 0 }
        case .reluBackward:
            let count = Tensor.elementCount(outputShape)
            if shapeA == shapeB && Tensor.elementCount(shapeA) == count {
                Parallel.forEachRange(count: count, minimumPerThread: CPUBackend.unaryElementsPerThread) { range in
                    ActivationKernels.reluBackward(output: b, outputGradient: a, inputGradient: out, range)
                }
            } else {
                B.apply(a, shapeA, b, shapeB, out, outputShape) { $1 > 0 ? $0 : 0 }
            }
        }
    }
}
