import XCTest
@testable import Kestrel

/// Every loss against Keras 3 (Tests/Fixtures/keras/losses.json): per-sample values, the batch mean, the
/// gradient of the mean with respect to the predictions, and the sample-weighted mean.
final class LossKerasTests: XCTestCase {
    private func makeLoss(_ name: String, _ config: [String: Any]) throws -> Loss {
        let logits = KerasFixture.bool(config, "fromLogits") ?? false
        let smoothing = KerasFixture.float(config, "labelSmoothing") ?? 0
        switch name {
        case "sparse_categorical_crossentropy": return SparseCategoricalCrossentropy(fromLogits: logits)
        case "categorical_crossentropy": return CategoricalCrossentropy(fromLogits: logits, labelSmoothing: smoothing)
        case "binary_crossentropy": return BinaryCrossentropy(fromLogits: logits, labelSmoothing: smoothing)
        case "huber": return Huber(delta: KerasFixture.float(config, "delta") ?? 1)
        default: return try Loss.named(name)
        }
    }

    func testLossesMatchKeras() throws {
        let cases = try KerasFixture.load("losses.json")["cases"] as? [[String: Any]] ?? []
        XCTAssertGreaterThanOrEqual(cases.count, 19)
        for testCase in cases {
            let name = testCase["loss"] as? String ?? ""
            let config = testCase["config"] as? [String: Any] ?? [:]
            let label = "\(name) \(config)"
            let loss = try makeLoss(name, config)
            let yTrue = try KerasFixture.tensor(testCase["yTrue"])
            let yPred = try KerasFixture.tensor(testCase["yPred"])
            try loss.validate(yTrue: yTrue, yPredShape: yPred.shape)

            let perSample = try loss.perSample(yTrue: yTrue, yPred: yPred)
            XCTAssertEqual(perSample.shape, [yPred.shape[0]], label)
            assertClose(perSample.scalars, KerasFixture.floats(testCase["perSample"]) ?? [], relative: 1e-5,
                        absolute: 2e-6, "\(label) per-sample")

            let tracked = yPred.requiringGradient()
            let mean = try loss.reduced(yTrue: yTrue, yPred: tracked)
            assertClose([mean.scalar ?? .nan], [Float(testCase["mean"] as? Double ?? .nan)], "\(label) mean")
            let grad = try gradient(of: mean, wrt: [tracked])[0]
            assertClose(grad.scalars, KerasFixture.floats(testCase["gradient"]) ?? [], relative: 1e-4, absolute: 1e-6,
                        "\(label) gradient")

            let weights = Tensor(KerasFixture.floats(testCase["sampleWeight"]) ?? [])
            let weighted = try loss.reduced(yTrue: yTrue, yPred: yPred, sampleWeight: weights)
            assertClose([weighted.scalar ?? .nan], [Float(testCase["weightedMean"] as? Double ?? .nan)],
                        "\(label) weighted mean")
        }
    }
}
