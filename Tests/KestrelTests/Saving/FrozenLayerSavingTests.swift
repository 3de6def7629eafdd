import Foundation
import XCTest
@testable import Kestrel

/// A model with some layers frozen (transfer learning, fine-tuning) keeps each layer's `trainable`
/// flag and its optimizer state through `.keras`.
final class FrozenLayerSavingTests: XCTestCase {
    func testPartlyFrozenModelReloadsWithItsFrozenLayersAndOptimizerState() throws {
        Kestrel.setRandomSeed(2)
        let model = try Sequential {
            Input(shape: [6, 6, 1])
            Conv2D(2, kernelSize: 3, name: "frozen_conv")
            SeparableConv2D(3, kernelSize: 2, name: "tuned_sep")
            Flatten()
            Dense(2, activation: .softmax, name: "head")
        }
        model.layers[0].trainable = false
        try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy)
        var generator = RandomGenerator(seed: 4)
        let x = try Tensor.randomNormal([4, 6, 6, 1], mean: 0, standardDeviation: 1, generator: &generator)
        try model.fit(x, Tensor([0, 1, 0, 1]), epochs: 1, batchSize: 4, verbose: .silent)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("frozen-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(path)
        let loaded = try loadModel(path)  // used to fail: the model's trainable=true unfroze every layer, so 2 slots too many
        XCTAssertEqual(loaded.layers.map(\.trainable), [false, true, true, true])
        XCTAssertEqual(loaded.trainableWeights.count, 5)
        XCTAssertEqual(loaded.nonTrainableWeights.map(\.name), ["kernel", "bias"])
        XCTAssertEqual(loaded.optimizer?.iterations, 1)
        XCTAssertEqual(try loaded.predict(x).scalars, try model.predict(x).scalars)
    }
}
