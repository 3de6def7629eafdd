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

    /// RandomBrightness on a tensor (tensor operations, no ImageBatch round trip) gives exactly what the
    /// ImageBatch path gives for the same seed, clipping included, for NHWC and NHW tensors; the generator
    /// ends in the same state. The values are also checked by hand: each image moves by one offset.
    func testBrightnessOnTensorsMatchesTheImageBatchPath() throws {
        let transform = try RandomBrightnessTransform(factor: FactorRange(-0.5, 0.5), valueRange: 0...255)
        for shape in [[3, 4, 5, 2], [3, 4, 5]] {
            let count = shape.reduce(1, *)
            let images = try Tensor(shape: shape, scalars: (0..<count).map { Float(($0 * 37) % 256) })
            var tensorGenerator = RandomGenerator(seed: 9), batchGenerator = RandomGenerator(seed: 9)
            let viaTensor = try transform.apply(to: images, generator: &tensorGenerator)
            let viaBatch = transform.apply(to: try ImageBatch(images), generator: &batchGenerator)
            XCTAssertEqual(viaTensor.shape, shape)
            XCTAssertEqual(viaTensor.scalars, viaBatch.pixels)
            XCTAssertEqual(tensorGenerator.state, batchGenerator.state)
            let perImage = count / 3
            for image in 0..<3 {
                let input = Array(images.scalars[(image * perImage)..<((image + 1) * perImage)])
                let output = Array(viaTensor.scalars[(image * perImage)..<((image + 1) * perImage)])
                // An unclipped pixel gives the image's offset; every pixel is the input plus it, clipped.
                let offset = try XCTUnwrap(zip(input, output).first { $1 > 0 && $1 < 255 }.map { $1 - $0 })
                XCTAssertNotEqual(offset, 0)
                for (x, y) in zip(input, output) { XCTAssertEqual(y, min(max(x + offset, 0), 255), accuracy: 1e-3) }
            }
        }
        var generator = RandomGenerator(seed: 1)
        XCTAssertThrowsError(try transform.apply(to: try Tensor(shape: [4, 4], scalars: Array(repeating: 0, count: 16)), generator: &generator))
    }
}
