import KestrelTensor
import XCTest
@testable import KestrelData

final class TensorBridgeTests: XCTestCase {
    func testLabeledImagesAsTensors() {
        let images = LabeledImages(pixels: [0, 255, 51, 102], shape: [2, 1, 2], labels: [1, 0], classNames: ["a", "b"])
        XCTAssertEqual(images.x.shape, [2, 1, 2])
        XCTAssertEqual(images.x.scalars, [0, 255, 51, 102])
        XCTAssertEqual(images.normalizedX.scalars, [0, 1, 0.2, 0.4], accuracy: 1e-6)
        XCTAssertEqual(images.y.shape, [2])
        XCTAssertEqual(images.y.scalars, [1, 0])
    }

    func testDatasetFromTensorsAndBackToTensors() throws {
        let x = try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let y = try Tensor(shape: [3], scalars: [7, 8, 9])
        let batch = try Dataset(x: x, y: y).batch(2).collect()[0]
        XCTAssertEqual(batch.xTensor.shape, [2, 2])
        XCTAssertEqual(batch.xTensor.scalars, [1, 2, 3, 4])
        XCTAssertEqual(batch.yTensor.scalars, [7, 8])
    }

    func testAugmentationAndGeneratorOnTensors() throws {
        let images = try Tensor(shape: [2, 4, 4, 1], scalars: (0..<32).map(Float.init))
        var generator = RandomGenerator(seed: 4)
        let flipped = try RandomFlipTransform(mode: .horizontal).apply(to: images, generator: &generator)
        XCTAssertEqual(flipped.shape, [2, 4, 4, 1])
        var idg = ImageDataGenerator(featurewiseCenter: true)
        try idg.fit(images)
        XCTAssertEqual(idg.mean!, [15.5], accuracy: 1e-5)
        let batches = try idg.flow(images, try Tensor(shape: [2], scalars: [0, 1]), batchSize: 2, seed: 1).collect()
        XCTAssertEqual(batches[0].xTensor.shape, [2, 4, 4, 1])
    }
}
