/// Stochastic gradient descent with optional (Nesterov) momentum, as Keras 3's `SGD`:
/// without momentum `w -= lr·g`; with it `m = momentum·m − lr·g`, then `w += m`
/// (or, with Nesterov, `w += momentum·m − lr·g`).
public final class SGD: Optimizer, @unchecked Sendable {
    /// The momentum factor (0 disables momentum).
    public let momentum: Float
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool

    /// Makes an SGD optimizer with Keras's defaults. Throws when a value is out of range.
    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                globalClipnorm: Float? = nil) throws {
        self.momentum = momentum
        self.nesterov = nesterov
        super.init(name: "sgd", learningRate: learningRate)
        guard momentum.isFinite, momentum >= 0, momentum <= 1 else {
            throw KestrelError.invalidArgument("SGD: momentum must be a float between [0, 1], got \(momentum).")
        }
        try configure(weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    public override var slotCount: Int { momentum != 0 ? 1 : 0 }

    public override func update(parameter: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                                slots: [UnsafeMutableBufferPointer<Float>], step: Int, learningRate: Float) {
        let w = parameter.baseAddress!, g = gradient.baseAddress!
        let count = parameter.count
        guard momentum != 0 else {
            Optimizer.forEachChunk(count) { range in
                for i in range { w[i] -= g[i] * learningRate }
            }
            return
        }
        let m = slots[0].baseAddress!
        let beta = momentum
        if nesterov {
            Optimizer.forEachChunk(count) { range in
                for i in range {
                    let velocity = m[i] * beta - g[i] * learningRate
                    m[i] = velocity
                    w[i] += velocity * beta - g[i] * learningRate
                }
            }
        } else {
            Optimizer.forEachChunk(count) { range in
                for i in range {
                    let velocity = m[i] * beta - g[i] * learningRate
                    m[i] = velocity
                    w[i] += velocity
                }
            }
        }
    }
}
