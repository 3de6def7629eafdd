import XCTest
@testable import Kestrel

/// Keras 3 computes a probability crossentropy from the logits of a softmax/sigmoid output
/// (`Loss.fusableActivation` / `logitsEquivalent`); checked against `model.evaluate` in Keras 3.
final class LossActivationOutputTests: XCTestCase {
    func testLogitsEquivalentMatchesKerasEvaluate() throws {
        let cases = try KerasFixture.load("losses.json")["activationOutputs"] as? [[String: Any]] ?? []
        XCTAssertEqual(cases.count, 4)
        for testCase in cases {
            let name = testCase["loss"] as? String ?? ""
            let config = testCase["config"] as? [String: Any] ?? [:]
            let smoothing = KerasFixture.float(config, "labelSmoothing") ?? 0
            let loss: Loss = switch name {
            case "sparse_categorical_crossentropy": SparseCategoricalCrossentropy()
            case "categorical_crossentropy": CategoricalCrossentropy(labelSmoothing: smoothing)
            default: BinaryCrossentropy(labelSmoothing: smoothing)
            }
            let activation = testCase["activation"] as? String
            XCTAssertEqual(loss.fusableActivation, activation, name)
            let yTrue = try KerasFixture.tensor(testCase["yTrue"])
            let logits = try KerasFixture.tensor(testCase["logits"])
            let equivalent = try XCTUnwrap(loss.logitsEquivalent, name)
            XCTAssertNil(equivalent.logitsEquivalent)
            let fromLogits = try equivalent(yTrue, logits)
            assertClose([fromLogits.scalar ?? .nan], [Float(testCase["kerasEvaluate"] as? Double ?? .nan)],
                        relative: 1e-5, "\(name) \(config) from logits vs Keras evaluate")
            // Fed probabilities instead, the clipped value differs (as Keras's own eager call on a NumPy array).
            let probabilities = activation == "softmax" ? try logits.softmax() : logits.sigmoid()
            let clipped = try loss(yTrue, probabilities)
            assertClose([clipped.scalar ?? .nan], [Float(testCase["fromProbabilities"] as? Double ?? .nan)],
                        relative: 1e-4, "\(name) \(config) from probabilities")
        }
    }

    func testOtherLossesHaveNoFusableActivation() {
        XCTAssertNil(MeanSquaredError().fusableActivation)
        XCTAssertNil(Huber().logitsEquivalent)
        XCTAssertNil(SparseCategoricalCrossentropy(fromLogits: true).fusableActivation)
    }
}
