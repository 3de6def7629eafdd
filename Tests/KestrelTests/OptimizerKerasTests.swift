import XCTest
@testable import Kestrel

/// Each optimizer's first three steps against Keras 3 (Tests/Fixtures/keras/optimizers.json).
final class OptimizerKerasTests: XCTestCase {
    private func makeOptimizer(_ name: String, _ config: [String: Any]) throws -> Optimizer {
        let f = { KerasFixture.float(config, $0) }
        let b = { KerasFixture.bool(config, $0) }
        let (wd, clipnorm, clipvalue, global) = (f("weightDecay"), f("clipnorm"), f("clipvalue"), f("globalClipnorm"))
        switch name {
        case "sgd":
            return try SGD(learningRate: f("learningRate") ?? 0.01, momentum: f("momentum") ?? 0,
                           nesterov: b("nesterov") ?? false, weightDecay: wd, clipnorm: clipnorm,
                           clipvalue: clipvalue, globalClipnorm: global)
        case "adam":
            return try Adam(learningRate: f("learningRate") ?? 0.001, beta1: f("beta1") ?? 0.9,
                            beta2: f("beta2") ?? 0.999, epsilon: f("epsilon") ?? 1e-7, amsgrad: b("amsgrad") ?? false,
                            weightDecay: wd, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: global)
        case "adamw":
            return try AdamW(learningRate: f("learningRate") ?? 0.001, weightDecay: wd ?? 0.004,
                             beta1: f("beta1") ?? 0.9, beta2: f("beta2") ?? 0.999, epsilon: f("epsilon") ?? 1e-7,
                             amsgrad: b("amsgrad") ?? false, clipnorm: clipnorm, clipvalue: clipvalue,
                             globalClipnorm: global)
        case "rmsprop":
            return try RMSprop(learningRate: f("learningRate") ?? 0.001, rho: f("rho") ?? 0.9,
                               momentum: f("momentum") ?? 0, epsilon: f("epsilon") ?? 1e-7,
                               centered: b("centered") ?? false, weightDecay: wd, clipnorm: clipnorm,
                               clipvalue: clipvalue, globalClipnorm: global)
        case "adagrad":
            return try Adagrad(learningRate: f("learningRate") ?? 0.001,
                               initialAccumulatorValue: f("initialAccumulatorValue") ?? 0.1,
                               epsilon: f("epsilon") ?? 1e-7, weightDecay: wd, clipnorm: clipnorm,
                               clipvalue: clipvalue, globalClipnorm: global)
        default:
            throw KestrelError.invalidArgument("unknown optimizer \(name) in fixture")
        }
    }

    func testFirstThreeStepsMatchKeras() throws {
        let fixture = try KerasFixture.load("optimizers.json")
        let initial = try (fixture["initial"] as? [Any] ?? []).map(KerasFixture.tensor)
        let gradients = try (fixture["gradients"] as? [[Any]] ?? []).map { try $0.map(KerasFixture.tensor) }
        let cases = fixture["cases"] as? [[String: Any]] ?? []
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        XCTAssertEqual(gradients.count, 3)
        for testCase in cases {
            let name = testCase["optimizer"] as? String ?? ""
            let config = testCase["config"] as? [String: Any] ?? [:]
            let optimizer = try makeOptimizer(name, config)
            let variables = initial.enumerated().map { Variable($0.element.copy(), name: "v\($0.offset)") }
            let steps = testCase["steps"] as? [[[Double]]] ?? []
            XCTAssertEqual(steps.count, 3)
            for (stepIndex, expected) in steps.enumerated() {
                try optimizer.apply(gradients: gradients[stepIndex], to: variables)
                for (variable, values) in zip(variables, expected) {
                    assertClose(variable.value.scalars, values.map(Float.init), relative: 2e-5, absolute: 1e-6,
                                "\(name) \(config) step \(stepIndex + 1) variable \(variable.name)")
                }
            }
            XCTAssertEqual(optimizer.iterations, 3)
        }
    }
}
