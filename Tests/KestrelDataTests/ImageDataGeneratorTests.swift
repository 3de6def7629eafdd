import KestrelTensor
import XCTest
@testable import KestrelData

final class ImageDataGeneratorTests: XCTestCase {
    private func images(_ count: Int = 10) throws -> ImageBatch {
        try ImageBatch(pixels: (0..<(count * 8 * 8 * 3)).map { Float($0 % 256) }, shape: [count, 8, 8, 3])
    }

    func testFlowBatchesEveryImageOnceWithMatchingLabels() throws {
        let x = try images()
        let generator = ImageDataGenerator()
        let batches = try generator.flow(x, Array(0..<10), batchSize: 4, seed: 3).collect()
        XCTAssertEqual(batches.map(\.xShape), [[4, 8, 8, 3], [4, 8, 8, 3], [2, 8, 8, 3]])
        let labels = batches.flatMap(\.y).map(Int.init)
        XCTAssertEqual(labels.sorted(), Array(0..<10))
        // With no augmentation, each image arrives unchanged next to its own label.
        for batch in batches {
            for (position, label) in batch.y.enumerated() {
                let size = 8 * 8 * 3
                XCTAssertEqual(Array(batch.x[(position * size)..<((position + 1) * size)]), Array(x.image(Int(label))))
            }
        }
    }

    func testFlowIsDeterministicUnderSeed() throws {
        let x = try images()
        let generator = ImageDataGenerator(rotationRange: 15, widthShiftRange: 0.1, heightShiftRange: 0.1, shearRange: 5,
                                           zoomRange: 0.1, horizontalFlip: true)
        let first = try generator.flow(x, Array(0..<10), batchSize: 5, seed: 11).collect()
        let second = try generator.flow(x, Array(0..<10), batchSize: 5, seed: 11).collect()
        XCTAssertEqual(first, second)
        let other = try generator.flow(x, Array(0..<10), batchSize: 5, seed: 12).collect()
        XCTAssertNotEqual(first, other)
        let flow = try generator.flow(x, Array(0..<10), batchSize: 5, seed: 11)
        XCTAssertNotEqual(flow.collect(), flow.collect()) // fresh augmentations every epoch
    }

    func testRescaleAndFeaturewiseStandardization() throws {
        let x = try ImageBatch(pixels: [0, 100, 50, 200, 100, 300, 150, 400], shape: [2, 2, 1, 2])
        var generator = ImageDataGenerator(rescale: 0.5, featurewiseCenter: true, featurewiseStdNormalization: true)
        XCTAssertThrowsError(try generator.flow(x, [0, 1], batchSize: 2))
        try generator.fit(x)
        XCTAssertEqual(generator.mean!, [37.5, 125], accuracy: 1e-4)
        let batch = try generator.flow(x, [0, 1], batchSize: 2, shuffle: false).collect()[0]
        let channel0 = stride(from: 0, to: 8, by: 2).map { batch.x[$0] }
        XCTAssertEqual(channel0.reduce(0, +) / 4, 0, accuracy: 1e-4)
        XCTAssertEqual((channel0.map { $0 * $0 }.reduce(0, +) / 4).squareRoot(), 1, accuracy: 1e-3)
    }

    func testShiftWithConstantFillMovesContent() throws {
        // One 1×4 image, shifted by exactly one pixel to one side or the other.
        let x = try ImageBatch(pixels: [1, 2, 3, 4], shape: [1, 1, 4, 1])
        let generator = ImageDataGenerator(widthShiftRange: 1, fillMode: .constant, cval: 0)
        var random = RandomGenerator(seed: 1)
        for _ in 0..<20 {
            let output = try generator.augment(x, generator: &random).pixels
            XCTAssertEqual(output.count, 4)
            XCTAssertTrue(output.allSatisfy { (0...4).contains($0) })
        }
    }
}

func XCTAssertEqual(_ actual: [Float], _ expected: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, file: file, line: line)
    for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: accuracy, file: file, line: line) }
}
