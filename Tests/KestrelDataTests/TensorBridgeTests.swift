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

    /// RandomContrast on a tensor: the ImageBatch path's values (the means are summed in another order,
    /// so within 1e-3) and, by hand, each image's channel mean kept and its spread scaled by one factor.
    func testContrastOnTensorsMatchesTheImageBatchPath() throws {
        let transform = try RandomContrastTransform(factor: 0.5, valueRange: 0...255)
        let shape = [3, 4, 5, 2], count = 120
        let images = try Tensor(shape: shape, scalars: (0..<count).map { Float(100 + ($0 * 37) % 50) })
        var tensorGenerator = RandomGenerator(seed: 4), batchGenerator = RandomGenerator(seed: 4)
        let viaTensor = try transform.apply(to: images, generator: &tensorGenerator)
        let viaBatch = transform.apply(to: try ImageBatch(images), generator: &batchGenerator)
        XCTAssertEqual(viaTensor.shape, shape)
        for (a, b) in zip(viaTensor.scalars, viaBatch.pixels) { XCTAssertEqual(a, b, accuracy: 1e-3) }
        XCTAssertEqual(tensorGenerator.state, batchGenerator.state)
        let input = images.scalars, output = viaTensor.scalars
        for image in 0..<3 {
            for channel in 0..<2 {
                let positions = Array(stride(from: image * 40 + channel, to: (image + 1) * 40, by: 2))
                let mean = positions.map { input[$0] }.reduce(0, +) / 20
                XCTAssertEqual(positions.map { output[$0] }.reduce(0, +) / 20, mean, accuracy: 1e-3, "values stay in 100...149: no clipping")
                let first = positions[0], last = positions[positions.count - 1]
                let factor = (output[first] - output[last]) / (input[first] - input[last])
                XCTAssertTrue((0.5...1.5).contains(factor), "\(factor)")
                for position in positions { XCTAssertEqual(output[position], (input[position] - mean) * factor + mean, accuracy: 1e-2) }
            }
        }
    }

    /// RandomFlip on a tensor, checked by hand: every image is itself or its mirror, and the geometric
    /// pipeline gives exactly the ImageBatch path's values (one kernel, the same draws).
    func testGeometricTransformsOnTensorsMatchTheImageBatchPath() throws {
        let images = try Tensor(shape: [6, 3, 4, 1], scalars: (0..<72).map(Float.init))
        var generator = RandomGenerator(seed: 3)
        let flipped = try RandomFlipTransform(mode: .horizontal).apply(to: images, generator: &generator).scalars
        var mirrored = 0
        for image in 0..<6 {
            let input = Array(images.scalars[(image * 12)..<((image + 1) * 12)]), output = Array(flipped[(image * 12)..<((image + 1) * 12)])
            let mirror = (0..<3).flatMap { row in input[(row * 4)..<(row * 4 + 4)].reversed() }
            XCTAssertTrue(output == input || output == mirror, "image \(image): \(output)")
            if output == mirror { mirrored += 1 }
        }
        XCTAssertTrue((1...5).contains(mirrored), "a fair coin per image: \(mirrored) of 6 mirrored")
        let pipeline = AugmentationPipeline([RandomFlipTransform(mode: .horizontalAndVertical), try RandomRotationTransform(factor: 0.1),
                                             try RandomTranslationTransform(heightFactor: 0.2, widthFactor: 0.2), try RandomContrastTransform(factor: 0.2),
                                             try RandomZoomTransform(heightFactor: 0.2, fillMode: .constant)])
        var tensorGenerator = RandomGenerator(seed: 8), batchGenerator = RandomGenerator(seed: 8)
        let viaTensor = try pipeline.apply(to: images, generator: &tensorGenerator)
        let viaBatch = pipeline.apply(to: try ImageBatch(images), generator: &batchGenerator)
        for (a, b) in zip(viaTensor.scalars, viaBatch.pixels) { XCTAssertEqual(a, b, accuracy: 1e-3) }
        XCTAssertEqual(tensorGenerator.state, batchGenerator.state)
        XCTAssertNotEqual(viaTensor.scalars, images.scalars)
    }

    /// `Tensor.resampled` takes maps from outside: a wrong count or a non-finite or far-reaching map is a
    /// thrown error naming the fix, never a trap in the kernel's coordinate conversion.
    func testResamplingRejectsBadMaps() throws {
        let images = try Tensor(shape: [2, 3, 3, 1], scalars: Array(repeating: 1, count: 18))
        XCTAssertThrowsError(try images.resampled([.identity]))
        XCTAssertThrowsError(try images.resampled([.identity, AffineTransform(xx: .nan, xy: 0, dx: 0, yx: 0, yy: 1, dy: 0)]))
        XCTAssertThrowsError(try images.resampled([.identity, .translation(x: 1e300, y: 0)])) { error in
            XCTAssertTrue("\(error)".contains("map 1"), "\(error)")
        }
        XCTAssertThrowsError(try AffineWarp.apply(try ImageBatch(images), transforms: [.identity, .translation(x: .infinity, y: 0)]))
        XCTAssertEqual(try images.resampled([.identity, .translation(x: 1, y: 0)], fillMode: .constant, fillValue: 7).scalars,
                       [1, 1, 1, 1, 1, 1, 1, 1, 1, 7, 1, 1, 7, 1, 1, 7, 1, 1])
    }
}
