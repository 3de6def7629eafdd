/// Adagrad, as Keras 3 computes it: `acc += g²`, `w -= lr · g / √(acc + ε)`, with the accumulator
/// starting at `initialAccumulatorValue`.
public final class Adagrad: Optimizer, @unchecked Sendable {
    /// The accumulator's starting value.
    public let initialAccumulatorValue: Float
    /// Small constant added inside the square root.
    public let epsilon: Float

    /// Makes an Adagrad optimizer with Keras's defaults. Throws when a value is out of range.
    public init(learningRate: Float = 0.001, initialAccumulatorValue: Float = 0.1, epsilon: Float = 1e-7,
                weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil) throws {
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
        super.init(name: "adagrad", learningRate: learningRate)
        try Optimizer.checkNonNegative(initialAccumulatorValue, "initialAccumulatorValue", optimizer: name)
        try Optimizer.checkNonNegative(epsilon, "epsilon", optimizer: name)
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    public override var slotCount: Int { 1 }

    public override func initialSlotValue(at index: Int) -> Float { initialAccumulatorValue }

    public override func update(parameter: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                                slots: [UnsafeMutableBufferPointer<Float>], step: Int, learningRate: Float) {
        let w = parameter.baseAddress!, g = gradient.baseAddress!, accumulator = slots[0].baseAddress!
        let epsilon = self.epsilon
        typealias K = VectorKernel
        Optimizer.forEachChunk(parameter.count) { range in
            K.forEachLanes(in: range) { i, lanes in
                let gradient = K.load(g, i, lanes)
                let total = K.load(accumulator, i, lanes) + gradient * gradient
                K.store(total, accumulator, i, lanes)
                K.store(K.load(w, i, lanes) - (learningRate * gradient) / K.sqrt(total + epsilon), w, i, lanes)
            }
        }
    }
}
