/// RMSprop, as Keras 3 computes it: `v = ρv + (1 − ρ)g²`; the step is `lr · g / √(v + ε)` (centered:
/// `√(v − ḡ² + ε)` with `ḡ = ρḡ + (1 − ρ)g`); with momentum the step is accumulated,
/// `s = momentum · s + step`, and `w -= s`.
public final class RMSprop: Optimizer, @unchecked Sendable {
    /// Discount factor of the squared-gradient average.
    public let rho: Float
    /// Momentum factor (0 disables it).
    public let momentum: Float
    /// Small constant added inside the square root.
    public let epsilon: Float
    /// Whether to normalise by the centred second moment (variance estimate).
    public let centered: Bool

    /// Makes an RMSprop optimizer with Keras's defaults. Throws when a value is out of range.
    public init(learningRate: Float = 0.001, rho: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-7,
                centered: Bool = false, weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil) throws {
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        super.init(name: "rmsprop", learningRate: learningRate)
        try Optimizer.checkRange(rho, "rho", optimizer: name)
        try Optimizer.checkRange(momentum, "momentum", optimizer: name, closedUpper: true)
        try Optimizer.checkNonNegative(epsilon, "epsilon", optimizer: name)
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// Slot 0: squared-gradient average; then the momentum accumulator (when momentum > 0); then the
    /// gradient average (when centered).
    public override var slotCount: Int { 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0) }

    public override func update(parameter: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                                slots: [UnsafeMutableBufferPointer<Float>], step: Int, learningRate: Float) {
        let w = parameter.baseAddress!, g = gradient.baseAddress!
        let v = slots[0].baseAddress!
        // Unused slots alias `v`; the branches below never touch them.
        let s = momentum > 0 ? slots[1].baseAddress! : v
        let a = centered ? slots[slots.count - 1].baseAddress! : v
        let rho = self.rho, oneMinusRho = 1 - rho, epsilon = self.epsilon, momentum = self.momentum
        let centered = self.centered
        typealias K = VectorKernel
        Optimizer.forEachChunk(parameter.count) { range in
            K.forEachLanes(in: range) { i, lanes in
                let gradient = K.load(g, i, lanes)
                let velocity = rho * K.load(v, i, lanes) + oneMinusRho * (gradient * gradient)
                K.store(velocity, v, i, lanes)
                var denominator = velocity + epsilon
                if centered {
                    let average = rho * K.load(a, i, lanes) + oneMinusRho * gradient
                    K.store(average, a, i, lanes)
                    denominator = velocity - average * average + epsilon
                }
                let increment = (learningRate * gradient) / K.sqrt(denominator)
                if momentum > 0 {
                    let accumulated = momentum * K.load(s, i, lanes) + increment
                    K.store(accumulated, s, i, lanes)
                    K.store(K.load(w, i, lanes) - accumulated, w, i, lanes)
                } else {
                    K.store(K.load(w, i, lanes) - increment, w, i, lanes)
                }
            }
        }
    }
}
