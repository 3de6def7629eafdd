/// Keras-style shorthands, so `compile(optimizer: .adam(learningRate: 0.001))` reads well, and
/// parsing of Keras's optimizer strings.
///
/// The factories take the same arguments as the initialisers and throw the same errors for invalid ones
/// (`try model.compile(optimizer: .adam(learningRate: -1), …)` throws naming `learningRate`).
extension OptimizerConvertible where Self == Optimizer {
    /// `SGD` with Keras's defaults.
    public static func sgd(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false,
                           weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                           globalClipnorm: Float? = nil) throws -> Optimizer {
        try SGD(learningRate: learningRate, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay,
                        clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// `Adam` with Keras's defaults.
    public static func adam(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-7, amsgrad: Bool = false, weightDecay: Float? = nil,
                            clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                         weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
                         globalClipnorm: globalClipnorm)
    }

    /// `AdamW` with Keras's defaults.
    public static func adamW(learningRate: Float = 0.001, weightDecay: Float = 0.004, beta1: Float = 0.9,
                             beta2: Float = 0.999, epsilon: Float = 1e-7, amsgrad: Bool = false,
                             clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try AdamW(learningRate: learningRate, weightDecay: weightDecay, beta1: beta1, beta2: beta2,
                          epsilon: epsilon, amsgrad: amsgrad, clipnorm: clipnorm, clipvalue: clipvalue,
                          globalClipnorm: globalClipnorm)
    }

    /// `RMSprop` with Keras's defaults.
    public static func rmsprop(learningRate: Float = 0.001, rho: Float = 0.9, momentum: Float = 0,
                               epsilon: Float = 1e-7, centered: Bool = false, weightDecay: Float? = nil,
                               clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try RMSprop(learningRate: learningRate, rho: rho, momentum: momentum, epsilon: epsilon,
                            centered: centered, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
                            globalClipnorm: globalClipnorm)
    }

    /// `Adagrad` with Keras's defaults.
    public static func adagrad(learningRate: Float = 0.001, initialAccumulatorValue: Float = 0.1,
                               epsilon: Float = 1e-7, weightDecay: Float? = nil, clipnorm: Float? = nil,
                               clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try Adagrad(learningRate: learningRate, initialAccumulatorValue: initialAccumulatorValue,
                            epsilon: epsilon, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue,
                            globalClipnorm: globalClipnorm)
    }

}

/// Parsing of Keras's optimizer strings.
extension Optimizer {
    /// The Keras strings `named(_:)` accepts.
    public static let validNames = ["adam", "adamw", "sgd", "rmsprop", "adagrad"]

    /// The optimizer for a Keras string ("adam", "sgd", "rmsprop", "adagrad", "adamw"; any case), with
    /// Keras's default hyper-parameters. Throws an error listing the valid names otherwise.
    public static func named(_ string: String) throws -> Optimizer {
        switch string.lowercased() {
        case "adam": return try Adam()
        case "adamw": return try AdamW()
        case "sgd": return try SGD()
        case "rmsprop": return try RMSprop()
        case "adagrad": return try Adagrad()
        default:
            throw KestrelError.invalidArgument(
                "Unknown optimizer '\(string)'. Valid names: \(validNames.map { "\"\($0)\"" }.joined(separator: ", ")); or pass an optimizer object such as .adam(learningRate: 0.001).")
        }
    }
}
