import Foundation
import XCTest
@testable import KestrelData

/// `loadImg` against the pixels real Keras 3.15.1 (`keras.utils.load_img`, Pillow 13) gives for the same files:
/// nearest and bilinear, downscaling (Pillow antialiases) and upscaling, grayscale/rgb/rgba, PNG and JPEG.
/// Made by scripts/fixtures/make_keras_load_img_fixtures.py.
final class KerasLoadImgFixtureTests: XCTestCase {
    private struct Fixture: Decodable {
        let cases: [Case]
    }

    private struct Case: Decodable {
        let file: String
        let colorMode: String
        let targetSize: [Int]?
        let interpolation: String
        let shape: [Int]
        let pixels: String
    }

    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/data/load_img")

    private func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.folder.appendingPathComponent("keras_load_img.json")))
    }

    private func load(_ testCase: Case) throws -> RasterImage {
        let size = testCase.targetSize.map { (height: $0[0], width: $0[1]) }
        return try loadImg(Self.folder.appendingPathComponent(testCase.file).path, targetSize: size,
                           colorMode: ColorMode(parsing: testCase.colorMode),
                           interpolation: XCTUnwrap(Interpolation(rawValue: testCase.interpolation)))
    }

    func testEveryCaseHasKerasPixelsExactly() throws {
        let cases = try fixture().cases
        XCTAssertGreaterThan(cases.count, 60)
        for testCase in cases {
            let label = "\(testCase.file) \(testCase.colorMode) \(testCase.targetSize ?? []) \(testCase.interpolation)"
            let image = try load(testCase)
            let expected = try XCTUnwrap(Data(base64Encoded: testCase.pixels), label)
            XCTAssertEqual([image.height, image.width, image.channels], testCase.shape, label)
            let differing = zip(image.pixels, expected).filter { $0 != $1 }.count
            XCTAssertEqual(differing, 0, "\(label): \(differing) of \(expected.count) values differ from Keras")
            XCTAssertEqual(image.pixels.count, expected.count, label)
        }
    }

    /// The case the issue measured: a hand-drawn digit shrunk to 28×28 for an MNIST model.
    func testHandDrawnDigitTo28x28MatchesKerasInBothInterpolations() throws {
        for interpolation in ["nearest", "bilinear"] {
            let testCase = try XCTUnwrap(fixture().cases.first {
                $0.file == "digit.png" && $0.colorMode == "grayscale" && $0.targetSize == [28, 28] && $0.interpolation == interpolation
            })
            XCTAssertEqual(try load(testCase).pixels, [UInt8](try XCTUnwrap(Data(base64Encoded: testCase.pixels))), interpolation)
        }
    }

    func testNearestIndicesFollowPillowsAccumulatedCentres() {
        // 7 → 3: centres at 7/6, 7/2, 35/6 → columns 1, 3, 5.
        XCTAssertEqual(PillowResampling.nearestIndices(source: 7, output: 3), [1, 3, 5])
        // Upscaling 2 → 5: centres 0.2, 0.6, 1.0, 1.4, 1.8 → 0, 0, 1, 1, 1.
        XCTAssertEqual(PillowResampling.nearestIndices(source: 2, output: 5), [0, 0, 1, 1, 1])
    }

    func testBilinearDownscaleWidensTheFilter() {
        // Halving 4 → 2: the triangle's support doubles to 2, so output 0 (centre 1) reads sources 0, 1, 2 with
        // weights 0.75, 0.75, 0.25 normalised to 3/7, 3/7, 1/7 — not the 2-tap average an unfiltered resize takes.
        let taps = PillowResampling.bilinearTaps(source: 4, output: 2)
        let unit = Double(1 << PillowResampling.precisionBits)
        XCTAssertEqual(taps.map(\.first), [0, 1])
        XCTAssertEqual(taps[0].weights.map { Double($0) / unit }, [3.0 / 7, 3.0 / 7, 1.0 / 7], accuracy: 1e-6)
        XCTAssertEqual(taps[1].weights.map { Double($0) / unit }, [1.0 / 7, 3.0 / 7, 3.0 / 7], accuracy: 1e-6)
    }
}

private func XCTAssertEqual(_ lhs: [Double], _ rhs: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(lhs.count, rhs.count, file: file, line: line)
    for (left, right) in zip(lhs, rhs) { XCTAssertEqual(left, right, accuracy: accuracy, file: file, line: line) }
}
