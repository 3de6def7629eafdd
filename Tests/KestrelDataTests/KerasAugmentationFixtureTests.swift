import Foundation
import KestrelTensor
import XCTest
@testable import KestrelData

/// Compares the transforms with Keras 3 outputs (scripts/fixtures/make_keras_augmentation_fixtures.py) for fixed
/// factors, every fill mode and both interpolations, and the resize with `tf.image.resize`.
final class KerasAugmentationFixtureTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            var name: String
            var params: [String: Parameter]
            var output: [Float]
        }
        struct Resize: Decodable {
            var height: Int
            var width: Int
            var output: [Float]
        }
        var shape: [Int]
        var image: [Float]
        var cases: [Case]
        var resizes: [Resize]
    }

    private enum Parameter: Decodable {
        case number(Double)
        case text(String)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }

        var number: Double? { if case let .number(value) = self { value } else { nil } }
        var text: String? { if case let .text(value) = self { value } else { nil } }
    }

    private func loadFixture() throws -> Fixture {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/data/keras_augmentation.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: path))
    }

    private func transform(for parameters: [String: Parameter]) throws -> any ImageTransform {
        func number(_ key: String) -> Double { parameters[key]?.number ?? 0 }
        let fillMode = try FillMode(parsing: parameters["fillMode"]?.text ?? "reflect")
        let interpolation = Interpolation(rawValue: parameters["interpolation"]?.text ?? "bilinear")!
        let fillValue = Float(number("fillValue"))
        switch parameters["kind"]?.text {
        case "rotation":
            return try RandomRotationTransform(factor: FactorRange(number("lower"), number("upper")), fillMode: fillMode,
                                               interpolation: interpolation, fillValue: fillValue)
        case "translation":
            return try RandomTranslationTransform(heightFactor: FactorRange(number("heightLower"), number("heightUpper")),
                                                  widthFactor: FactorRange(number("widthLower"), number("widthUpper")),
                                                  fillMode: fillMode, interpolation: interpolation, fillValue: fillValue)
        case "zoom":
            let width = parameters["widthLower"] == nil ? nil : FactorRange(number("widthLower"), number("widthUpper"))
            return try RandomZoomTransform(heightFactor: FactorRange(number("heightLower"), number("heightUpper")), widthFactor: width,
                                           fillMode: fillMode, interpolation: interpolation, fillValue: fillValue)
        case "brightness":
            return try RandomBrightnessTransform(factor: FactorRange(number("lower"), number("upper")))
        default:
            throw DataTestError("unknown fixture kind")
        }
    }

    func testTransformsMatchKeras() throws {
        let fixture = try loadFixture()
        let batch = try ImageBatch(pixels: fixture.image, shape: fixture.shape)
        XCTAssertEqual(fixture.cases.count, 23)
        for fixtureCase in fixture.cases {
            var generator = RandomGenerator(seed: 1)
            let output = try transform(for: fixtureCase.params).apply(to: batch, generator: &generator)
            let worst = zip(output.pixels, fixtureCase.output).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 0.05, "\(fixtureCase.name): largest difference \(worst)")
            // The augmentation layers' path: the same draws on a tensor, written by the backend.
            var tensorGenerator = RandomGenerator(seed: 1)
            let viaTensor = try transform(for: fixtureCase.params).apply(to: batch.tensor, generator: &tensorGenerator)
            XCTAssertEqual(viaTensor.shape, batch.shape)
            let tensorWorst = zip(viaTensor.scalars, fixtureCase.output).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(tensorWorst, 0.05, "\(fixtureCase.name) on a tensor: largest difference \(tensorWorst)")
        }
    }

    func testResizeMatchesTensorFlowWithinRounding() throws {
        let fixture = try loadFixture()
        // RasterImage holds bytes, so compare on an image whose values are already whole numbers.
        let image = try RasterImage(pixels: fixture.image.map { UInt8($0) }, height: fixture.shape[1], width: fixture.shape[2],
                                    channels: fixture.shape[3])
        for resize in fixture.resizes {
            let output = try image.resized(height: resize.height, width: resize.width, interpolation: .bilinear)
            let worst = zip(output.pixels, resize.output).map { abs(Float($0) - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 0.5 + 1e-3, "\(resize.height)×\(resize.width): largest difference \(worst)")
        }
    }
}
