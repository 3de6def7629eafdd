import XCTest
@testable import Kestrel

/// Optimizers declare their Keras name, config and reading once: each round-trips through the registry.
final class KerasSerializableOptimizerTests: XCTestCase {
    func testEachOptimizerRoundTripsUnderItsKerasName() throws {
        let optimizers: [(Optimizer, String)] = [
            (try Adam(learningRate: 0.002, beta1: 0.8, amsgrad: true), "Adam"),
            (try AdamW(learningRate: 0.003, weightDecay: 0.01, clipnorm: 1), "AdamW"),
            (try SGD(learningRate: 0.1, momentum: 0.5, nesterov: true), "SGD"),
            (try RMSprop(learningRate: 0.004, rho: 0.8, centered: true), "RMSprop"),
            (try Adagrad(learningRate: 0.05, initialAccumulatorValue: 0.2), "Adagrad"),
        ]
        for (optimizer, className) in optimizers {
            let saved = try KerasOptimizerConfig.serialize(optimizer)
            XCTAssertEqual(saved["class_name"], .string(className))
            let loaded = try KerasOptimizerConfig.optimizer(from: saved)
            XCTAssertTrue(type(of: loaded) == type(of: optimizer), "\(type(of: loaded)) for \(className)")
            XCTAssertEqual(loaded.config, optimizer.config.merging(["name": loaded.config["name"]!]) { $1 }, className)
        }
        XCTAssertEqual(try KerasOptimizerConfig.serialize(optimizers[1].0)["config"]?["weight_decay"], .double(Double(Float(0.01))))
        let unknown = ConfigValue.object(["class_name": .string("Lion"), "config": .object([:])])
        XCTAssertThrowsError(try KerasOptimizerConfig.optimizer(from: unknown)) { error in
            XCTAssertEqual("\(error)".contains("Keras optimizer Lion: this optimizer is not supported (use Adam, AdamW, SGD, RMSprop, Adagrad)."), true, "\(error)")
        }
    }
}
