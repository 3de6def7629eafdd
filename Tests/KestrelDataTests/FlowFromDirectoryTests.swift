import XCTest
@testable import KestrelData

/// `ImageDataGenerator.flowFromDirectory`: class folders, targets per class mode, rescale, shuffling.
final class FlowFromDirectoryTests: XCTestCase {
    /// cats/ hold bright images (200), dogs/ dark ones (40), ten by eight pixels.
    private func makeDirectory(cats: Int = 5, dogs: Int = 3) throws -> String {
        let root = TestFiles.temporaryDirectory()
        for (name, count, level) in [("dogs", dogs, 40), ("cats", cats, 200)] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for index in 0..<count {
                let image = try RasterImage(pixels: Array(repeating: UInt8(level), count: 8 * 10 * 3), height: 8, width: 10, channels: 3)
                try ImageFile.write(image, to: root + "/\(name)/\(index).png")
            }
        }
        return root
    }

    func testCategoricalBatchesRescaledWithClassIndices() throws {
        let root = try makeDirectory()
        let generator = ImageDataGenerator(horizontalFlip: true, rescale: 1.0 / 255)
        let dataset = try generator.flowFromDirectory(root, targetSize: (4, 5), colorMode: .grayscale, batchSize: 3, seed: 7)
        XCTAssertEqual(dataset.classIndices, ["cats": 0, "dogs": 1])
        let batches = dataset.collect()
        XCTAssertEqual(batches.map(\.xShape), [[3, 4, 5, 1], [3, 4, 5, 1], [2, 4, 5, 1]])
        XCTAssertEqual(batches.map(\.yShape), [[3, 2], [3, 2], [2, 2]])
        var perClass = [0, 0]
        for batch in batches {
            for sample in 0..<(batch.y.count / 2) {
                let label = batch.y[sample * 2] == 1 ? 0 : 1
                perClass[label] += 1
                XCTAssertEqual(batch.x[sample * 20], label == 0 ? 200.0 / 255 : 40.0 / 255, accuracy: 1e-5)
            }
        }
        XCTAssertEqual(perClass, [5, 3])
        let again = try generator.flowFromDirectory(root, targetSize: (4, 5), colorMode: .grayscale, batchSize: 3, seed: 7).collect()
        XCTAssertEqual(again.map(\.y), batches.map(\.y), "the same seed gives the same order")
    }

    func testSparseAndBinaryModesAndErrors() throws {
        let root = try makeDirectory()
        let generator = ImageDataGenerator()
        let sparse = try generator.flowFromDirectory(root, targetSize: (2, 2), classMode: .sparse, batchSize: 8, shuffle: false).collect()
        XCTAssertEqual(sparse[0].y, [0, 0, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(sparse[0].xShape, [8, 2, 2, 3])
        let binary = try generator.flowFromDirectory(root, targetSize: (2, 2), classMode: .binary, batchSize: 8, shuffle: false).collect()
        XCTAssertEqual(binary[0].yShape, [8, 1])
        XCTAssertThrowsError(try generator.flowFromDirectory(root + "/missing"))
        XCTAssertThrowsError(try generator.flowFromDirectory(root, classes: ["cats", "birds"]))
        XCTAssertThrowsError(try generator.flowFromDirectory(root, batchSize: 0))
        XCTAssertThrowsError(try generator.flowFromDirectory(root, targetSize: (0, 3)))
    }
}
