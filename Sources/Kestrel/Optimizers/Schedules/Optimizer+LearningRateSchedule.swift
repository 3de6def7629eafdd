/// Every optimizer takes a learning-rate schedule where it takes a learning rate, as in Keras
/// (`Adam(learningRate: ExponentialDecay(initialLearningRate: 0.01, decaySteps: 1000, decayRate: 0.96))`);
/// the other arguments, their defaults and their checks are the numeric initialisers'.
extension SGD {
    /// `SGD` whose rate follows `schedule`.
    public convenience init(learningRate schedule: any LearningRateSchedule, momentum: Float = 0, nesterov: Bool = false,
                            weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                            globalClipnorm: Float? = nil) throws {
        try self.init(learningRate: schedule(step: 0), momentum: momentum, nesterov: nesterov, weightDecay: weightDecay,
                      clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        setLearningRate(schedule)
    }
}

extension Adam {
    /// `Adam` whose rate follows `schedule`.
    public convenience init(learningRate schedule: any LearningRateSchedule, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-7, amsgrad: Bool = false, weightDecay: Float? = nil,
                            clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws {
        try self.init(learningRate: schedule(step: 0), beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        setLearningRate(schedule)
    }
}

extension AdamW {
    /// `AdamW` whose rate follows `schedule` (weight decay is scaled by the scheduled rate, as in Keras).
    public convenience init(learningRate schedule: any LearningRateSchedule, weightDecay: Float = 0.004, beta1: Float = 0.9,
                            beta2: Float = 0.999, epsilon: Float = 1e-7, amsgrad: Bool = false, clipnorm: Float? = nil,
                            clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws {
        try self.init(learningRate: schedule(step: 0), weightDecay: weightDecay, beta1: beta1, beta2: beta2, epsilon: epsilon,
                      amsgrad: amsgrad, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        setLearningRate(schedule)
    }
}

extension RMSprop {
    /// `RMSprop` whose rate follows `schedule`.
    public convenience init(learningRate schedule: any LearningRateSchedule, rho: Float = 0.9, momentum: Float = 0,
                            epsilon: Float = 1e-7, centered: Bool = false, weightDecay: Float? = nil,
                            clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws {
        try self.init(learningRate: schedule(step: 0), rho: rho, momentum: momentum, epsilon: epsilon, centered: centered,
                      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        setLearningRate(schedule)
    }
}

extension Adagrad {
    /// `Adagrad` whose rate follows `schedule`.
    public convenience init(learningRate schedule: any LearningRateSchedule, initialAccumulatorValue: Float = 0.1,
                            epsilon: Float = 1e-7, weightDecay: Float? = nil, clipnorm: Float? = nil,
                            clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws {
        try self.init(learningRate: schedule(step: 0), initialAccumulatorValue: initialAccumulatorValue, epsilon: epsilon,
                      weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        setLearningRate(schedule)
    }
}

extension Optimizer {
    /// `SGD` whose rate follows `schedule` (`compile(optimizer: .sgd(learningRate: schedule), …)`).
    public static func sgd(learningRate schedule: any LearningRateSchedule, momentum: Float = 0, nesterov: Bool = false,
                           weightDecay: Float? = nil, clipnorm: Float? = nil, clipvalue: Float? = nil,
                           globalClipnorm: Float? = nil) throws -> Optimizer {
        try SGD(learningRate: schedule, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay,
                clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// `Adam` whose rate follows `schedule` (`compile(optimizer: .adam(learningRate: schedule), …)`).
    public static func adam(learningRate schedule: any LearningRateSchedule, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-7, amsgrad: Bool = false, weightDecay: Float? = nil,
                            clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try Adam(learningRate: schedule, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                 weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// `AdamW` whose rate follows `schedule`.
    public static func adamW(learningRate schedule: any LearningRateSchedule, weightDecay: Float = 0.004, beta1: Float = 0.9,
                             beta2: Float = 0.999, epsilon: Float = 1e-7, amsgrad: Bool = false,
                             clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try AdamW(learningRate: schedule, weightDecay: weightDecay, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  amsgrad: amsgrad, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// `RMSprop` whose rate follows `schedule`.
    public static func rmsprop(learningRate schedule: any LearningRateSchedule, rho: Float = 0.9, momentum: Float = 0,
                               epsilon: Float = 1e-7, centered: Bool = false, weightDecay: Float? = nil,
                               clipnorm: Float? = nil, clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try RMSprop(learningRate: schedule, rho: rho, momentum: momentum, epsilon: epsilon, centered: centered,
                    weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// `Adagrad` whose rate follows `schedule`.
    public static func adagrad(learningRate schedule: any LearningRateSchedule, initialAccumulatorValue: Float = 0.1,
                               epsilon: Float = 1e-7, weightDecay: Float? = nil, clipnorm: Float? = nil,
                               clipvalue: Float? = nil, globalClipnorm: Float? = nil) throws -> Optimizer {
        try Adagrad(learningRate: schedule, initialAccumulatorValue: initialAccumulatorValue, epsilon: epsilon,
                    weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }
}

/// The schedule as the first, unlabelled argument, as Keras code writes it (`Adam(lr_schedule)`).
extension SGD {
    /// `SGD(schedule)`: Keras's `SGD(lr_schedule)`, every other argument at its default.
    public convenience init(_ schedule: any LearningRateSchedule) throws { try self.init(learningRate: schedule) }
}

extension Adam {
    /// `Adam(schedule)`: Keras's `Adam(lr_schedule)`, every other argument at its default.
    public convenience init(_ schedule: any LearningRateSchedule) throws { try self.init(learningRate: schedule) }
}

extension RMSprop {
    /// `RMSprop(schedule)`: Keras's `RMSprop(lr_schedule)`, every other argument at its default.
    public convenience init(_ schedule: any LearningRateSchedule) throws { try self.init(learningRate: schedule) }
}
