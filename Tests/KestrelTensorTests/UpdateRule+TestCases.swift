@testable import KestrelTensor

extension UpdateRule {
    /// One rule of each optimizer family with its variants (momentum, Nesterov, AMSGrad, centred
    /// RMSprop, weight decay), for the tests that compare update paths rule by rule.
    static let testCases: [UpdateRule] = [
        .sgd(learningRate: 0.01, momentum: 0, nesterov: false),
        .sgd(learningRate: 0.01, momentum: 0.9, nesterov: false),
        .sgd(learningRate: 0.01, momentum: 0.9, nesterov: true),
        .adam(alpha: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false),
        .adam(alpha: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: true),
        .rmsprop(learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false),
        .rmsprop(learningRate: 0.001, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: false),
        .rmsprop(learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: true),
        .rmsprop(learningRate: 0.001, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true),
        .adagrad(learningRate: 0.001, epsilon: 1e-7),
        .weightDecay(weightDecay: 0.004, learningRate: 0.001),
    ]
}
