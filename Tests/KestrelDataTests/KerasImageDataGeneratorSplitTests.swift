import Foundation
import XCTest
import KestrelTensor
@testable import KestrelData

/// `ImageDataGenerator(validationSplit:)` with `subset:` and `preprocessingFunction:` against what real Keras
/// 3.15.1's ImageDataGenerator does with the same data (scripts/fixtures/make_keras_image_data_generator_fixtures.py):
/// which images each subset holds, the class check, and preprocessing before rescale.
final class KerasImageDataGeneratorSplitTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Part: Decodable {
            let images: [Float]?
            let labels: [Float]?
            let error: String?
            let filenames: [String]?
        }
        struct FlowCase: Decodable {
            let split: Double
            let labels: [Int]
            let training: Part
            let validation: Part
        }
        struct DirectoryCase: Decodable {
            let split: Double
            let training: Part
            let validation: Part
        }
        struct Preprocessing: Decodable {
            let input: Float
            let plusOneThenHalf: Float
        }
        let flow: [FlowCase]
        let directory: DirectoryCase
        let preprocessing: Preprocessing
    }

    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/data/image_data_generator")

    private func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.folder.appendingPathComponent("keras_image_data_generator.json")))
    }

    private func firstBatch(_ dataset: Dataset) throws -> DataElement {
        var iterator = dataset.makeIterator()
        return try XCTUnwrap(iterator.next())
    }

    func testFlowSubsetsHoldTheImagesKerasGivesThemAndRefuseUnevenClasses() throws {
        for testCase in try fixture().flow {
            // Image i is constant i, so the first pixel of each image names it.
            let count = testCase.labels.count
            let x = try ImageBatch(pixels: (0..<count).flatMap { [Float](repeating: Float($0), count: 4) }, shape: [count, 2, 2, 1])
            let generator = ImageDataGenerator(validationSplit: testCase.split)
            for (subset, expected) in [(DatasetSubset.training, testCase.training), (.validation, testCase.validation)] {
                if expected.error != nil {
                    XCTAssertThrowsError(try generator.flow(x, testCase.labels, batchSize: 100, shuffle: false, subset: subset),
                                         "split \(testCase.split) \(subset)") { error in
                        XCTAssertTrue("\(error)".contains("different classes"), "\(error)")
                    }
                    // Keras's ignore_class_split lets it through.
                    XCTAssertNoThrow(try generator.flow(x, testCase.labels, batchSize: 100, shuffle: false, subset: subset, ignoreClassSplit: true))
                    continue
                }
                let batch = try firstBatch(try generator.flow(x, testCase.labels, batchSize: 100, shuffle: false, subset: subset))
                XCTAssertEqual(stride(from: 0, to: batch.x.count, by: 4).map { batch.x[$0] }, expected.images, "split \(testCase.split) \(subset)")
                XCTAssertEqual(batch.y, expected.labels, "split \(testCase.split) \(subset)")
            }
        }
    }

    func testFlowFromDirectorySplitsEveryClassFolderAsKeras() throws {
        let testCase = try fixture().directory
        let generator = ImageDataGenerator(validationSplit: testCase.split)
        let root = Self.folder.appendingPathComponent("folders").path
        for (subset, expected) in [(DatasetSubset.training, testCase.training), (.validation, testCase.validation)] {
            let dataset = try generator.flowFromDirectory(root, targetSize: (3, 4), colorMode: .grayscale, classMode: .sparse,
                                                          batchSize: 100, shuffle: false, subset: subset)
            let batch = try firstBatch(dataset)
            // File "<class>NN.png" is filled with 40·NN + 10, so each image's first pixel names its file.
            let names = try XCTUnwrap(dataset.classNames)
            let files = stride(from: 0, to: batch.x.count, by: 12).enumerated().map { position, offset in
                String(format: "%@/%@%02d.png", names[Int(batch.y[position])], names[Int(batch.y[position])], Int((batch.x[offset] - 10) / 40))
            }
            XCTAssertEqual(files, expected.filenames, "\(subset)")
            XCTAssertEqual(batch.y, expected.labels, "\(subset)")
        }
    }

    func testPreprocessingFunctionRunsBeforeRescale() throws {
        let expected = try fixture().preprocessing
        let generator = ImageDataGenerator(rescale: 0.5, preprocessingFunction: { image in try image.adding(Tensor(scalar: 1)) })
        let x = try ImageBatch(pixels: [Float](repeating: expected.input, count: 4), shape: [1, 2, 2, 1])
        let batch = try firstBatch(try generator.flow(x, [0], batchSize: 1, shuffle: false))
        XCTAssertEqual(batch.x, [Float](repeating: expected.plusOneThenHalf, count: 4), "(3 + 1) × 0.5, not 3 × 0.5 + 1")
    }

    func testAPreprocessingFunctionThatChangesTheShapeOrASubsetWithoutSplitIsAnError() throws {
        let x = try ImageBatch(pixels: [Float](repeating: 1, count: 8), shape: [2, 2, 2, 1])
        let reshaping = ImageDataGenerator(preprocessingFunction: { image in try image.reshaped([4]) })
        XCTAssertThrowsError(try reshaping.flow(x, [0, 1], batchSize: 1)) { error in
            XCTAssertTrue("\(error)".contains("preprocessingFunction"), "\(error)")
        }
        XCTAssertThrowsError(try ImageDataGenerator().flow(x, [0, 1], subset: .training)) { error in
            XCTAssertTrue("\(error)".contains("validationSplit"), "\(error)")
        }
    }
}
