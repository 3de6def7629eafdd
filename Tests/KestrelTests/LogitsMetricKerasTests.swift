import Foundation
import XCTest
@testable import Kestrel

/// The loss and the loss-named metrics of sigmoid / softmax / linear models against what real Keras 3 logs
/// for the same weights and rows (Tests/Fixtures/keras/logits_metrics.json, written by
/// scripts/fixtures/make_keras_logits_metric_fixtures.py). Several samples are confidently wrong (|logit|
/// 20–35), where a clipped probability gives −log(1e-7) and the logits give more, so a metric computed on
/// clipped probabilities would differ from Keras's (by 1.2 in the sigmoid case), whatever the loss.
final class LogitsMetricKerasTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var name: String
            var activation: String
            var units: Int
            var kernel: [[Float]]
            var bias: [Float]
            var targets: String
            var loss: String
            var metrics: [String]
            var history: [String: Double]
        }
        var x: [[Float]]
        var binary: [Float]
        var sparse: [Int]
        var cases: [Case]
    }

    static func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: KerasFixture.directory.appendingPathComponent("logits_metrics.json")))
    }

    /// One epoch of SGD(learning_rate=0) on the fixture's weights: the logged values are those of these weights.
    func kestrelHistory(_ item: Fixture.Case, _ fixture: Fixture) throws -> [String: Double] {
        let model = try Sequential { Input(shape: [3]); Dense(item.units, activation: ActivationFunction(stringLiteral: item.activation)) }
        try model.setWeights([try Tensor(shape: [3, item.units], scalars: item.kernel.flatMap { $0 }),
                              try Tensor(shape: [item.units], scalars: item.bias)])
        var metrics: [any MetricConvertible] = []
        for name in item.metrics {
            switch name {
            case "bce_from_logits": metrics.append(LossMetric(BinaryCrossentropy(fromLogits: true), name: name))
            case "binary_accuracy": metrics.append(BinaryAccuracy())
            default: metrics.append(name)
            }
        }
        try model.compile(optimizer: try SGD(learningRate: 0), loss: item.loss, metrics: metrics)
        let x = try Tensor(shape: [fixture.x.count, 3], scalars: fixture.x.flatMap { $0 })
        let y: Tensor
        switch item.targets {
        case "binary": y = try Tensor(shape: [fixture.binary.count, 1], scalars: fixture.binary)
        case "sparse": y = try Tensor(shape: [fixture.sparse.count], scalars: fixture.sparse.map(Float.init))
        default: y = try Tensor(shape: [fixture.sparse.count, 3], scalars: fixture.sparse.flatMap { label in (0..<3).map { $0 == label ? Float(1) : 0 } })
        }
        let history = try model.fit(x, y, epochs: 1, batchSize: fixture.x.count, verbose: .silent,
                                    validationData: (x, y), shuffle: false)
        return history.history.dictionary.compactMapValues { $0.first }
    }

    func testSigmoidLossAndCrossentropyMetricAgreeAsInKeras() throws {
        let fixture = try Self.fixture()
        let item = try XCTUnwrap(fixture.cases.first { $0.name.hasPrefix("sigmoid, binary") })
        let logged = try kestrelHistory(item, fixture)
        XCTAssertEqual(Set(logged.keys), Set(item.history.keys))
        for (key, expected) in item.history {
            XCTAssertEqual(try XCTUnwrap(logged[key], key), expected, accuracy: 1e-4 * max(1, abs(expected)), key)
        }
        // The loss and the metric are one value, as in Keras, and not the clipped-probability value.
        XCTAssertEqual(logged["binary_crossentropy"] ?? 0, logged["loss"] ?? 1, accuracy: 1e-5)
        XCTAssertGreaterThan(abs((logged["val_binary_crossentropy"] ?? 0) - Self.clippedBinaryCrossentropy(item, fixture)), 1)
    }

    func testSoftmaxCrossentropyMetricsFollowTheLogitsAsInKeras() throws {
        let fixture = try Self.fixture()
        for item in fixture.cases where item.activation == "softmax" {
            let logged = try kestrelHistory(item, fixture)
            XCTAssertEqual(Set(logged.keys), Set(item.history.keys), item.name)
            for (key, expected) in item.history {
                XCTAssertEqual(try XCTUnwrap(logged[key], key), expected, accuracy: 1e-4 * max(1, abs(expected)), "\(item.name): \(key)")
            }
        }
    }

    /// A linear output has no logits to remember: Keras clips it in the loss and the metric alike, and so does Kestrel.
    func testALinearOutputIsClippedInLossAndMetricAsInKeras() throws {
        let fixture = try Self.fixture()
        let item = try XCTUnwrap(fixture.cases.first { $0.activation == "linear" })
        let logged = try kestrelHistory(item, fixture)
        for (key, expected) in item.history {
            XCTAssertEqual(try XCTUnwrap(logged[key], key), expected, accuracy: 1e-4 * max(1, abs(expected)), key)
        }
    }

    /// A loss that takes no logits (mse): Keras's sigmoid/softmax output still carries its logits and the
    /// cross-entropy metrics read them (10.88 and 14.21 here, where clipped probabilities would give 9.67
    /// and less), while the loss stays the mse of the probabilities.
    func testAnMSEModelsCrossentropyMetricsReadTheLogitsAsInKeras() throws {
        let fixture = try Self.fixture()
        let items = fixture.cases.filter { $0.loss == "mean_squared_error" }
        XCTAssertEqual(Set(items.map(\.activation)), ["sigmoid", "softmax"])
        for item in items {
            let logged = try kestrelHistory(item, fixture)
            XCTAssertEqual(Set(logged.keys), Set(item.history.keys), item.name)
            for (key, expected) in item.history {
                XCTAssertEqual(try XCTUnwrap(logged[key], key), expected, accuracy: 1e-4 * max(1, abs(expected)), "\(item.name): \(key)")
            }
        }
        // Not the clipped value: the two differ by more than 1 on this fixture.
        let sigmoid = try XCTUnwrap(items.first { $0.activation == "sigmoid" })
        XCTAssertGreaterThan(abs((sigmoid.history["binary_crossentropy"] ?? 0) - Self.clippedBinaryCrossentropy(sigmoid, fixture)), 1)
    }

    /// Keeping the logits for a metric must not change training: an mse sigmoid model (Sequential and
    /// functional) with a binary_crossentropy metric takes the same SGD steps as the same model without it.
    func testKeepingLogitsForAMetricLeavesTheMSEGradientAlone() throws {
        let fixture = try Self.fixture()
        let item = try XCTUnwrap(fixture.cases.first { $0.name.hasPrefix("sigmoid, mean_squared_error") })
        let x = try Tensor(shape: [fixture.x.count, 3], scalars: fixture.x.flatMap { $0 })
        let y = try Tensor(shape: [fixture.binary.count, 1], scalars: fixture.binary.map { $0 * 0.5 + 0.25 })
        func trainedWeights(metrics: [any MetricConvertible], functional: Bool) throws -> [[Float]] {
            // Small weights, so the sigmoid is not saturated and the mse gradient is far from zero.
            let input = Input(shape: [3])
            let model = functional ? try Model(inputs: [input], outputs: [try Dense(1, activation: .sigmoid)(input)])
                : try Sequential { Input(shape: [3]); Dense(1, activation: .sigmoid) }
            try model.setWeights([try Tensor(shape: [3, 1], scalars: item.kernel.flatMap { $0 }.map { $0 / 20 }),
                                  try Tensor(shape: [1], scalars: item.bias)])
            try model.compile(optimizer: try SGD(learningRate: 0.5), loss: "mse", metrics: metrics)
            try model.fit(x, y, epochs: 2, batchSize: 4, verbose: .silent, shuffle: false)
            return model.getWeights().map(\.scalars)
        }
        for functional in [false, true] {
            let plain = try trainedWeights(metrics: [], functional: functional)
            let withMetric = try trainedWeights(metrics: ["binary_crossentropy"], functional: functional)
            let start = item.kernel.flatMap { $0 }.map { $0 / 20 }
            XCTAssertGreaterThan(zip(plain[0], start).map { abs($0 - $1) }.max() ?? 0, 1e-3, "the weights must move")
            for (a, b) in zip(plain.flatMap { $0 }, withMetric.flatMap { $0 }) { XCTAssertEqual(a, b, accuracy: 1e-6, "functional: \(functional)") }
        }
    }

    /// A functional model's outputs keep their logits for their metrics too, whatever their loss.
    func testAFunctionalMSEOutputsCrossentropyMetricReadsTheLogits() throws {
        let (item, history) = try twoSigmoidOutputsFitted(case: "sigmoid, mean_squared_error", losses: ["mse", "binary_crossentropy"],
                                                          metrics: [["binary_crossentropy"], []])
        XCTAssertEqual(try XCTUnwrap(history.history["first_loss"]?.first), try XCTUnwrap(item.history["loss"]), accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(history.history["first_binary_crossentropy"]?.first),
                       try XCTUnwrap(item.history["binary_crossentropy"]), accuracy: 1e-4 * 11)
    }

    /// The per-output loss and crossentropy metric of a multi-output model read the logits too (Keras's
    /// `<output>_loss` is the loss it trained on).
    func testAFunctionalSigmoidOutputLogsItsLossFromTheLogits() throws {
        let (item, history) = try twoSigmoidOutputsFitted(case: "sigmoid, binary", losses: ["binary_crossentropy", "binary_crossentropy"],
                                                          metrics: [["binary_crossentropy"], ["binary_crossentropy"]])
        let expected = try XCTUnwrap(item.history["loss"])
        for key in ["first_loss", "second_loss", "first_binary_crossentropy", "second_binary_crossentropy"] {
            XCTAssertEqual(try XCTUnwrap(history.history[key]?.first, key), expected, accuracy: 1e-4 * expected, key)
        }
    }

    /// The mean binary cross-entropy of the fixture's sigmoid model on probabilities clipped to [1e-7, 1 − 1e-7] in Float.
    static func clippedBinaryCrossentropy(_ item: Fixture.Case, _ fixture: Fixture) -> Double {
        let epsilon: Float = 1e-7
        let terms = zip(fixture.x, fixture.binary).map { row, target -> Double in
            let logit = zip(row, item.kernel.map { $0[0] }).reduce(item.bias[0]) { $0 + $1.0 * $1.1 }
            let probability = min(max(1 / (1 + exp(-logit)), epsilon), 1 - epsilon)
            return -Double(target * log(probability) + (1 - target) * log(1 - probability))
        }
        return terms.reduce(0, +) / Double(terms.count)
    }

    /// The fixture case named `prefix…` fitted for one epoch (learning rate 0) as a functional model with
    /// two sigmoid outputs `first` and `second` of the case's weights, compiled with `losses` and `metrics`.
    private func twoSigmoidOutputsFitted(case prefix: String, losses: [any LossConvertible],
                                         metrics: [[any MetricConvertible]]) throws -> (Fixture.Case, History) {
        let fixture = try Self.fixture()
        let item = try XCTUnwrap(fixture.cases.first { $0.name.hasPrefix(prefix) })
        let input = Input(shape: [3])
        let first = Dense(1, activation: .sigmoid, name: "first")
        let second = Dense(1, activation: .sigmoid, name: "second")
        let model = try Model(inputs: [input], outputs: [try first(input), try second(input)])
        let weights = [try Tensor(shape: [3, 1], scalars: item.kernel.flatMap { $0 }), try Tensor(shape: [1], scalars: item.bias)]
        try model.setWeights(weights + weights)
        try model.compile(optimizer: try SGD(learningRate: 0), loss: losses, metrics: metrics)
        let x = try Tensor(shape: [fixture.x.count, 3], scalars: fixture.x.flatMap { $0 })
        let y = try Tensor(shape: [fixture.binary.count, 1], scalars: fixture.binary)
        let history = try model.fit([x], [y, y], epochs: 1, batchSize: fixture.x.count, verbose: .silent, shuffle: false)
        return (item, history)
    }
}
