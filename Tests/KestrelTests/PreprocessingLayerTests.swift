import XCTest
@testable import Kestrel

/// Keras's random preprocessing layers: active only in training, reproducible under a seed.
final class PreprocessingLayerTests: XCTestCase {
    private let images = try! Tensor(shape: [4, 2, 3, 1], scalars: (0..<24).map(Float.init))

    func testIdentityAtInference() throws {
        let layers: [Layer] = [RandomFlip(), try RandomRotation(0.2), try RandomTranslation(heightFactor: 0.2, widthFactor: 0.2),
                               try RandomZoom(heightFactor: 0.3), try RandomContrast(0.5), try RandomBrightness(0.2)]
        for layer in layers { XCTAssertEqual(try layer(images, training: false).scalars, images.scalars, layer.className) }
    }

    func testHorizontalFlipIsAnExactMirrorOrIdentityPerImage() throws {
        let flipped = try RandomFlip(.horizontal, seed: 5)(images, training: true).scalars
        for image in 0..<4 {
            let base = image * 6
            let original = Array(images.scalars[base..<(base + 6)])
            let mirrored = [original[2], original[1], original[0], original[5], original[4], original[3]]
            let result = Array(flipped[base..<(base + 6)])
            XCTAssertTrue(result == original || result == mirrored, "image \(image): \(result)")
        }
    }

    func testSeedMakesAugmentationReproducible() throws {
        let first = try RandomRotation(0.25, seed: 9)(images, training: true).scalars
        let second = try RandomRotation(0.25, seed: 9)(images, training: true).scalars
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first, images.scalars)
    }

    func testRejectsNonImageInputs() {
        XCTAssertThrowsError(try RandomFlip()(try Tensor.zeros([2, 5]), training: true)) { error in
            XCTAssertTrue("\(error)".contains("RandomFlip"), "\(error)")
        }
    }
}
