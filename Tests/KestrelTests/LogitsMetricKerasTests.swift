import Foundation
import XCTest
@testable import Kestrel

/// The loss and the loss-named metrics of sigmoid / softmax / linear models against what real Keras 3 logs
/// for the same weights and rows (Tests/Fixtures/keras/logits_metrics.json, written by
/// scripts/fixtures/make_keras_logits_metric_fixtures.py). Several samples are confidently wrong (|logit|
/// 20–35), where a clipped probability gives −log(1e-7) and the logits give more, so a metric computed on
/// clipped probabilities would differ from Keras's (by 1.2 in the sigmoid case).
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

    /// The one difference left: a sigmoid model whose loss takes no logits (mse) is not split before its
    /// sigmoid, so its binary_crossentropy metric is computed on clipped probabilities, where Keras reads
    /// the logits. This test pins the documented behaviour (LossMetric's documentation) and its size.
    func testASigmoidModelWithAnMSELossStillClipsTheMetricUnlikeKeras() throws {
        let fixture = try Self.fixture()
        let item = try XCTUnwrap(fixture.cases.first { $0.name.hasPrefix("sigmoid, mean_squared_error") })
        let logged = try kestrelHistory(item, fixture)
        XCTAssertEqual(logged["loss"] ?? .nan, item.history["loss"] ?? 0, accuracy: 1e-5)
        XCTAssertEqual(logged["binary_crossentropy"] ?? .nan, Self.clippedBinaryCrossentropy(item, fixture), accuracy: 1e-3)
        XCTAssertNotEqual(logged["binary_crossentropy"] ?? .nan, item.history["binary_crossentropy"] ?? 0, accuracy: 0.5)
    }

    /// The per-output loss and crossentropy metric of a multi-output model read the logits too (Keras's
    /// `<output>_loss` is the loss it trained on).
    func testAFunctionalSigmoidOutputLogsItsLossFromTheLogits() throws {
        let fixture = try Self.fixture()
        let item = try XCTUnwrap(fixture.cases.first { $0.name.hasPrefix("sigmoid, binary") })
        let input = Input(shape: [3])
        let first = Dense(1, activation: .sigmoid, name: "first")
        let second = Dense(1, activation: .sigmoid, name: "second")
        let model = try Model(inputs: [input], outputs: [try first(input), try second(input)])
        let weights = [try Tensor(shape: [3, 1], scalars: item.kernel.flatMap { $0 }), try Tensor(shape: [1], scalars: item.bias)]
        try model.setWeights(weights + weights)
        let losses: [any LossConvertible] = ["binary_crossentropy", "binary_crossentropy"]
        let metrics: [[any MetricConvertible]] = [["binary_crossentropy"], ["binary_crossentropy"]]
        try model.compile(optimizer: try SGD(learningRate: 0), loss: losses, metrics: metrics)
        let x = try Tensor(shape: [fixture.x.count, 3], scalars: fixture.x.flatMap { $0 })
        let y = try Tensor(shape: [fixture.binary.count, 1], scalars: fixture.binary)
        let history = try model.fit([x], [y, y], epochs: 1, batchSize: fixture.x.count, verbose: .silent, shuffle: false)
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
}
