import XCTest
@testable import Kestrel

/// Optimizer factories, Keras string names, argument checks and state handling.
final class OptimizerAPITests: XCTestCase {
    func testNamedGivesKerasDefaults() throws {
        let adam = try XCTUnwrap(try Optimizer.named("adam") as? Adam)
        XCTAssertEqual(adam.learningRate, 0.001)
        XCTAssertEqual(adam.beta1, 0.9)
        XCTAssertEqual(adam.beta2, 0.999)
        XCTAssertEqual(adam.epsilon, 1e-7)
        XCTAssertFalse(adam.amsgrad)
        XCTAssertNil(adam.weightDecay)
        let sgd = try XCTUnwrap(try Optimizer.named("SGD") as? SGD)
        XCTAssertEqual(sgd.learningRate, 0.01)
        XCTAssertEqual(sgd.momentum, 0)
        let rms = try XCTUnwrap(try Optimizer.named("rmsprop") as? RMSprop)
        XCTAssertEqual(rms.learningRate, 0.001)
        XCTAssertEqual(rms.rho, 0.9)
        let adagrad = try XCTUnwrap(try Optimizer.named("adagrad") as? Adagrad)
        XCTAssertEqual(adagrad.initialAccumulatorValue, 0.1)
        let adamw = try XCTUnwrap(try Optimizer.named("adamw") as? AdamW)
        XCTAssertEqual(adamw.weightDecay, 0.004)
        XCTAssertEqual(adamw.name, "adamw")
        XCTAssertEqual(adam.name, "adam")
    }

    func testUnknownNameListsValidNames() {
        XCTAssertThrowsError(try Optimizer.named("adamax")) { error in
            let message = (error as? KestrelError)?.message ?? ""
            XCTAssertTrue(message.contains("adamax"), message)
            for name in ["adam", "sgd", "rmsprop", "adagrad", "adamw"] {
                XCTAssertTrue(message.contains("\"\(name)\""), message)
            }
        }
    }

    func testFactoriesCarryArguments() throws {
        let sgd = try XCTUnwrap(Optimizer.sgd(learningRate: 0.1, momentum: 0.9, nesterov: true) as? SGD)
        XCTAssertEqual(sgd.learningRate, 0.1)
        XCTAssertEqual(sgd.momentum, 0.9)
        XCTAssertTrue(sgd.nesterov)
        XCTAssertEqual((try Optimizer.adam(learningRate: 0.01) as? Adam)?.learningRate, 0.01)
        XCTAssertEqual((try Optimizer.adamW(weightDecay: 0.1) as? AdamW)?.weightDecay, 0.1)
        XCTAssertEqual((try Optimizer.rmsprop(centered: true) as? RMSprop)?.centered, true)
        XCTAssertEqual((try Optimizer.adagrad(initialAccumulatorValue: 0.2) as? Adagrad)?.initialAccumulatorValue, 0.2)
    }

    func testInvalidArgumentsThrow() {
        XCTAssertThrowsError(try SGD(momentum: 1.5))
        XCTAssertThrowsError(try Adam(beta1: 1))
        XCTAssertThrowsError(try Adam(learningRate: -1))
        XCTAssertThrowsError(try RMSprop(rho: -0.1))
        XCTAssertThrowsError(try SGD(clipnorm: 1, clipvalue: 1)) { error in
            XCTAssertTrue((error as? KestrelError)?.message.contains("only one of") ?? false)
        }
    }

    func testMismatchedGradientsThrowAndDoNotStep() throws {
        let optimizer = try SGD()
        let variable = Variable(Tensor([1, 2]), name: "w")
        XCTAssertThrowsError(try optimizer.apply(gradients: [], to: [variable]))
        XCTAssertThrowsError(try optimizer.apply(gradients: [Tensor([1, 2, 3])], to: [variable])) { error in
            XCTAssertTrue((error as? KestrelError)?.message.contains("'w'") ?? false)
        }
        XCTAssertEqual(optimizer.iterations, 0)
        XCTAssertEqual(variable.value.scalars, [1, 2])
    }

    func testFrozenVariablesAreNotUpdatedOrDecayed() throws {
        let optimizer = try AdamW(learningRate: 0.1, weightDecay: 0.5)
        let frozen = Variable(Tensor([1, 2]), name: "frozen", trainable: false)
        let live = Variable(Tensor([1, 2]), name: "live")
        try optimizer.apply(gradients: [Tensor([1, 1]), Tensor([1, 1])], to: [frozen, live])
        XCTAssertEqual(frozen.value.scalars, [1, 2])
        XCTAssertNotEqual(live.value.scalars, [1, 2])
    }

    func testLearningRateChangeTakesEffectNextStep() throws {
        let optimizer = try SGD(learningRate: 0.1)
        let variable = Variable(Tensor([1]), name: "w")
        try optimizer.apply(gradients: [Tensor([1])], to: [variable])
        optimizer.learningRate = 0.5
        try optimizer.apply(gradients: [Tensor([1])], to: [variable])
        XCTAssertEqual(variable.value.scalars[0], 1 - 0.1 - 0.5, accuracy: 1e-6)
    }

    func testResetStateForgetsMoments() throws {
        let optimizer = try Adam(learningRate: 0.1)
        let first = Variable(Tensor([0]), name: "w")
        try optimizer.apply(gradients: [Tensor([1])], to: [first])
        let afterOne = first.value.scalars[0]
        optimizer.resetState()
        XCTAssertEqual(optimizer.iterations, 0)
        let second = Variable(Tensor([0]), name: "w")
        try optimizer.apply(gradients: [Tensor([1])], to: [second])
        XCTAssertEqual(second.value.scalars[0], afterOne)
        XCTAssertEqual(afterOne, -0.1, accuracy: 1e-5)  // Adam's first step is ≈ −lr·sign(g)
    }

    func testLargeVariableParallelUpdateMatchesSmall() throws {
        // 100k elements take the parallel path; each element must match the same update done alone.
        let count = 100_000
        let values = (0..<count).map { Float($0 % 97) / 97 - 0.5 }
        let grads = (0..<count).map { Float($0 % 89) / 89 - 0.4 }
        let big = Variable(Tensor(values), name: "big")
        let optimizer = try Adam(learningRate: 0.01)
        try optimizer.apply(gradients: [Tensor(grads)], to: [big])
        for index in [0, 1, 50_001, count - 1] {
            let small = Variable(Tensor([values[index]]), name: "s")
            try Adam(learningRate: 0.01).apply(gradients: [Tensor([grads[index]])], to: [small])
            XCTAssertEqual(big.value.scalars[index], small.value.scalars[0])
        }
    }
}
