import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// The engine's fast kernels: BLAS GEMM and im2col convolution split across the thread pool, SIMD
/// loops (and C with a run-time AVX2 path for Adam), elementwise loops split across cores for large
/// tensors. `Device.cpu` runs on this backend (through `HostBackend`); its
/// requirements are spread over `CPUBackend+*.swift` by kind.
struct CPUBackend: HostKernels {
    /// The transformed Winograd kernels kept between a step's forward and backward passes.
    let winogradFilters = WinogradFilterCache()

    /// Elementwise updates below this many elements per thread stay on one core.
    static let updateElementsPerThread = 1 << 15

    func update(_ rule: UpdateRule, _ operands: UpdateOperands) {
        Parallel.forEachRange(count: operands.count, minimumPerThread: CPUBackend.updateElementsPerThread) { range in
            let part = operands.restricted(to: range)
            switch rule {
            case let .sgd(learningRate, momentum, nesterov):
                CPUBackend.sgd(part, learningRate: learningRate, momentum: momentum, nesterov: nesterov)
            case let .adam(alpha, beta1, beta2, epsilon, amsgrad):
                kestrel_adam_update(part.parameter, part.gradient, part.slots[0], part.slots[1],
                                    amsgrad ? part.slots[2] : nil, part.newParameter, part.newSlots[0],
                                    part.newSlots[1], amsgrad ? part.newSlots[2] : nil, part.count, alpha,
                                    1 - beta1, 1 - beta2, epsilon)
            case let .rmsprop(learningRate, rho, momentum, epsilon, centered):
                CPUBackend.rmsprop(part, learningRate: learningRate, rho: rho, momentum: momentum, epsilon: epsilon,
                                   centered: centered)
            case let .adagrad(learningRate, epsilon):
                CPUBackend.adagrad(part, learningRate: learningRate, epsilon: epsilon)
            case let .weightDecay(weightDecay, learningRate):
                let w = part.parameter, out = part.newParameter
                for i in 0..<part.count { out[i] = w[i] - w[i] * weightDecay * learningRate }
            }
        }
    }

    private static func sgd(_ operands: UpdateOperands, learningRate: Float, momentum: Float, nesterov: Bool) {
        let w = operands.parameter, g = operands.gradient, out = operands.newParameter, count = operands.count
        guard momentum != 0 else {
            for i in 0..<count { out[i] = w[i] - g[i] * learningRate }
            return
        }
        let m = operands.slots[0], newM = operands.newSlots[0]
        if nesterov {
            for i in 0..<count {
                let velocity = m[i] * momentum - g[i] * learningRate
                newM[i] = velocity
                out[i] = w[i] + (velocity * momentum - g[i] * learningRate)
            }
        } else {
            for i in 0..<count {
                let velocity = m[i] * momentum - g[i] * learningRate
                newM[i] = velocity
                out[i] = w[i] + velocity
            }
        }
    }

    private static func rmsprop(_ operands: UpdateOperands, learningRate: Float, rho: Float, momentum: Float,
                                epsilon: Float, centered: Bool) {
        typealias K = VectorKernel
        let w = operands.parameter, g = operands.gradient, out = operands.newParameter
        let v = operands.slots[0], newV = operands.newSlots[0]
        // Unused slots alias `v`; the branches below never touch them.
        let s = momentum > 0 ? operands.slots[1] : v, newS = momentum > 0 ? operands.newSlots[1] : newV
        let last = operands.slots.count - 1
        let a = centered ? operands.slots[last] : v, newA = centered ? operands.newSlots[last] : newV
        let oneMinusRho = 1 - rho
        K.forEachLanes(in: 0..<operands.count) { i, lanes in
            let gradient = K.load(g, i, lanes)
            let velocity = rho * K.load(v, i, lanes) + oneMinusRho * (gradient * gradient)
            K.store(velocity, newV, i, lanes)
            var denominator = velocity + epsilon
            if centered {
                let average = rho * K.load(a, i, lanes) + oneMinusRho * gradient
                K.store(average, newA, i, lanes)
                denominator = velocity - average * average + epsilon
            }
            let increment = (learningRate * gradient) / K.sqrt(denominator)
            if momentum > 0 {
                let accumulated = momentum * K.load(s, i, lanes) + increment
                K.store(accumulated, newS, i, lanes)
                K.store(K.load(w, i, lanes) - accumulated, out, i, lanes)
            } else {
                K.store(K.load(w, i, lanes) - increment, out, i, lanes)
            }
        }
    }

    private static func adagrad(_ operands: UpdateOperands, learningRate: Float, epsilon: Float) {
        typealias K = VectorKernel
        let w = operands.parameter, g = operands.gradient, out = operands.newParameter
        let accumulator = operands.slots[0], newAccumulator = operands.newSlots[0]
        K.forEachLanes(in: 0..<operands.count) { i, lanes in
            let gradient = K.load(g, i, lanes)
            let total = K.load(accumulator, i, lanes) + gradient * gradient
            K.store(total, newAccumulator, i, lanes)
            K.store(K.load(w, i, lanes) - (learningRate * gradient) / K.sqrt(total + epsilon), out, i, lanes)
        }
    }
}
