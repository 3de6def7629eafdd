import KestrelTensor
import XCTest
@testable import KestrelData

final class AugmentationTests: XCTestCase {
    /// A 1-image batch of an H×W×C ramp with distinct values.
    private func ramp(height: Int = 4, width: Int = 5, channels: Int = 3, count: Int = 1) throws -> ImageBatch {
        try ImageBatch(pixels: (0..<(count * height * width * channels)).map(Float.init), shape: [count, height, width, channels])
    }

    private func value(_ batch: ImageBatch, _ image: Int, _ y: Int, _ x: Int, _ channel: Int = 0) -> Float {
        batch.pixels[((image * batch.height + y) * batch.width + x) * batch.channels + channel]
    }

    func testHorizontalAndVerticalFlipsAreExact() throws {
        let batch = try ramp()
        let horizontal = try AffineWarp.apply(batch, transforms: [.horizontalFlip(width: 5)])
        let vertical = try AffineWarp.apply(batch, transforms: [.verticalFlip(height: 4)])
        for y in 0..<4 {
            for x in 0..<5 {
                for channel in 0..<3 {
                    XCTAssertEqual(value(horizontal, 0, y, x, channel), value(batch, 0, y, 4 - x, channel))
                    XCTAssertEqual(value(vertical, 0, y, x, channel), value(batch, 0, 3 - y, x, channel))
                }
            }
        }
    }

    func testAWarpWithTheWrongNumberOfTransformsThrowsNamingTheArgument() throws {
        let batch = try ramp(count: 3)
        XCTAssertThrowsError(try AffineWarp.apply(batch, transforms: [.identity])) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("transforms") && message.contains("1 transforms for a batch of 3"), message)
        }
        XCTAssertEqual(try AffineWarp.apply(batch, transforms: Array(repeating: .identity, count: 3)).pixels, batch.pixels)
    }

    func testRandomFlipFlipsAboutHalfAndExactly() throws {
        let batch = try ramp(count: 200)
        var generator = RandomGenerator(seed: 7)
        let flipped = RandomFlipTransform(mode: .horizontal).apply(to: batch, generator: &generator)
        var flips = 0
        for image in 0..<200 {
            let same = flipped.image(image) == batch.image(image)
            let mirrored = (0..<4).allSatisfy { y in (0..<5).allSatisfy { x in value(flipped, image, y, x, 1) == value(batch, image, y, 4 - x, 1) } }
            XCTAssertTrue(same || mirrored)
            if !same { flips += 1 }
        }
        XCTAssertTrue((70...130).contains(flips), "\(flips) of 200 flipped")
    }

    func testRotationByQuarterTurnMatchesRot90() throws {
        let size = 6
        let batch = try ImageBatch(pixels: (0..<(size * size)).map(Float.init), shape: [1, size, size, 1])
        let rotation = try RandomRotationTransform(factor: FactorRange(0.25, 0.25))
        var generator = RandomGenerator(seed: 1)
        let rotated = rotation.apply(to: batch, generator: &generator)
        // np.rot90 (counter-clockwise): out[y][x] = in[x][size - 1 - y]
        for y in 0..<size {
            for x in 0..<size {
                XCTAssertEqual(value(rotated, 0, y, x), value(batch, 0, x, size - 1 - y), accuracy: 1e-3)
            }
        }
    }

    func testTranslationWithConstantFill() throws {
        let batch = try ramp(height: 4, width: 4, channels: 1)
        // Shift right by 1 pixel (0.25 of the width) and down by 2 (0.5 of the height).
        let translation = try RandomTranslationTransform(heightFactor: FactorRange(0.5, 0.5), widthFactor: FactorRange(0.25, 0.25),
                                                         fillMode: .constant, fillValue: -1)
        var generator = RandomGenerator(seed: 3)
        let shifted = translation.apply(to: batch, generator: &generator)
        for y in 0..<4 {
            for x in 0..<4 {
                let expected: Float = (y < 2 || x < 1) ? -1 : value(batch, 0, y - 2, x - 1)
                XCTAssertEqual(value(shifted, 0, y, x), expected, accuracy: 1e-5, "at (\(y), \(x))")
            }
        }
    }

    func testFillModesAtTheBorder() throws {
        let row = try ImageBatch(pixels: [10, 20, 30, 40], shape: [1, 1, 4, 1])
        func shifted(_ mode: FillMode) throws -> [Float] {
            try AffineWarp.apply(row, transforms: [.translation(x: 2, y: 0)], fillMode: mode, fillValue: 0).pixels
        }
        XCTAssertEqual(try shifted(.constant), [0, 0, 10, 20])
        XCTAssertEqual(try shifted(.nearest), [10, 10, 10, 20])
        XCTAssertEqual(try shifted(.wrap), [30, 40, 10, 20])
        XCTAssertEqual(try shifted(.reflect), [20, 10, 10, 20])
    }

    func testZoomAndShearAndNearestInterpolation() throws {
        let batch = try ramp(height: 5, width: 5, channels: 1)
        XCTAssertEqual(try AffineWarp.apply(batch, transforms: [.zoom(x: 1, y: 1, height: 5, width: 5)]).pixels, batch.pixels)
        // Zooming in by 2 about the centre keeps the centre pixel.
        let zoomed = try AffineWarp.apply(batch, transforms: [.zoom(x: 0.5, y: 0.5, height: 5, width: 5)], interpolation: .nearest)
        XCTAssertEqual(value(zoomed, 0, 2, 2), value(batch, 0, 2, 2))
        let sheared = try AffineWarp.apply(batch, transforms: [.shear(x: 1, y: 0, height: 5, width: 5)], fillMode: .constant)
        XCTAssertEqual(value(sheared, 0, 2, 0), value(batch, 0, 2, 0)) // the centre row does not move
        XCTAssertEqual(value(sheared, 0, 3, 0), value(batch, 0, 3, 1))
    }

    func testPipelineIsDeterministicUnderSeedAndFusesLikeSequentialForFlips() throws {
        let batch = try ramp(height: 8, width: 8, channels: 3, count: 16)
        let pipeline = AugmentationPipeline([RandomFlipTransform(mode: .horizontal), try RandomRotationTransform(factor: 0.1),
                                             try RandomTranslationTransform(heightFactor: 0.1, widthFactor: 0.1),
                                             try RandomContrastTransform(factor: 0.2), try RandomBrightnessTransform(factor: 0.1)])
        var first = RandomGenerator(seed: 99), second = RandomGenerator(seed: 99), third = RandomGenerator(seed: 100)
        let a = pipeline.apply(to: batch, generator: &first)
        let b = pipeline.apply(to: batch, generator: &second)
        let c = pipeline.apply(to: batch, generator: &third)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.shape, batch.shape)
        XCTAssertTrue(a.pixels.allSatisfy { (0...255).contains($0) })
    }

    func testContrastAndBrightness() throws {
        let batch = try ImageBatch(pixels: [0, 100, 200, 100], shape: [1, 2, 2, 1])
        var generator = RandomGenerator(seed: 5)
        let contrast = try RandomContrastTransform(lower: 0, upper: 0).apply(to: batch, generator: &generator)
        XCTAssertEqual(contrast.pixels, batch.pixels)
        let doubled = try RandomContrastTransform(lower: 0, upper: 1) // factor in [1, 2]
        let stretched = doubled.apply(to: batch, generator: &generator)
        XCTAssertLessThanOrEqual(stretched.pixels[0], 0 + 1e-4)
        XCTAssertEqual(stretched.pixels[1], 100, accuracy: 1e-4) // mean stays
        let brighter = try RandomBrightnessTransform(factor: FactorRange(0.5, 0.5)).apply(to: batch, generator: &generator)
        XCTAssertEqual(brighter.pixels, [127.5, 227.5, 255, 227.5])
        XCTAssertThrowsError(try RandomBrightnessTransform(factor: FactorRange(0, 2)))
        XCTAssertThrowsError(try RandomTranslationTransform(heightFactor: FactorRange(0.5, 1.1), widthFactor: 0))
        XCTAssertEqual(FactorRange(0.5, 0.1), FactorRange(0.1, 0.5)) // Keras sorts a pair
    }

    func testIdentityAtInference() throws {
        let batch = try ramp(height: 6, width: 6, channels: 3, count: 4)
        let pipeline = AugmentationPipeline([RandomFlipTransform(), try RandomRotationTransform(factor: 0.2),
                                             try RandomZoomTransform(heightFactor: 0.2), try RandomContrastTransform(factor: 0.3)])
        var generator = RandomGenerator(seed: 2)
        XCTAssertEqual(pipeline.apply(to: batch, generator: &generator, training: false), batch)
        XCTAssertNotEqual(pipeline.apply(to: batch, generator: &generator, training: true), batch)
    }
}
