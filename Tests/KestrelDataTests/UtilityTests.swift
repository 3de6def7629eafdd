import KestrelTensor
import XCTest
@testable import KestrelData

final class UtilityTests: XCTestCase {
    func testToCategorical() throws {
        let encoded = try toCategorical([2, 0, 1])
        XCTAssertEqual(encoded.shape, [3, 3])
        XCTAssertEqual(encoded.scalars, [0, 0, 1, 1, 0, 0, 0, 1, 0])
        XCTAssertEqual(try toCategorical([1], numClasses: 4).scalars, [0, 1, 0, 0])
        XCTAssertThrowsError(try toCategorical([5], numClasses: 3)) { error in XCTAssertTrue("\(error)".contains("numClasses")) }
        let fromTensor = try toCategorical(try Tensor(shape: [2, 1], scalars: [1, 0]), numClasses: 2)
        XCTAssertEqual(fromTensor.shape, [2, 1, 2])
        XCTAssertThrowsError(try toCategorical(Tensor([0.5])))
    }

    func testNormalize() throws {
        let x = try Tensor(shape: [2, 2], scalars: [3, 4, 0, 0])
        XCTAssertEqual(try normalize(x).scalars, [0.6, 0.8, 0, 0], accuracy: 1e-6)
        XCTAssertEqual(try normalize(x, axis: 0, order: 1).scalars, [1, 1, 0, 0], accuracy: 1e-6)
        XCTAssertThrowsError(try normalize(x, axis: 2))
    }

    func testTrainTestSplitSizesAndDisjointness() throws {
        let split = try TrainTestSplit(count: 10, testSize: 0.25, seed: 3)
        XCTAssertEqual(split.testIndices.count, 3) // ceil(2.5)
        XCTAssertEqual((split.trainIndices + split.testIndices).sorted(), Array(0..<10))
        XCTAssertEqual(try TrainTestSplit(count: 10, testSize: 0.25, seed: 3), split)
        XCTAssertThrowsError(try TrainTestSplit(count: 10, testSize: 1.5))
    }

    func testStratifiedSplitKeepsProportions() throws {
        let labels = Array(repeating: 0, count: 80) + Array(repeating: 1, count: 20)
        let split = try TrainTestSplit(count: 100, testSize: 0.2, labels: labels, stratify: true, seed: 9)
        let testLabels = split.testIndices.map { labels[$0] }
        XCTAssertEqual(testLabels.filter { $0 == 1 }.count, 4)
        XCTAssertEqual(testLabels.filter { $0 == 0 }.count, 16)
        let x = try Tensor(shape: [100, 1], scalars: (0..<100).map(Float.init))
        let y = try toCategorical(labels)
        let parts = try trainTestSplit(x, y, testSize: 0.2, stratify: true, seed: 9)
        XCTAssertEqual(parts.xTest.shape, [20, 1])
        XCTAssertEqual(parts.yTrain.shape, [80, 2])
        XCTAssertEqual(parts.yTest.scalars.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).reduce(0, +), 4)
        for (row, value) in parts.xTest.scalars.enumerated() {
            XCTAssertEqual(parts.yTest.scalars[row * 2 + 1], value >= 80 ? 1 : 0)
        }
    }

    func testLabeledImagesSplit() throws {
        let images = LabeledImages(pixels: (0..<40).map(UInt8.init), shape: [10, 2, 2], labels: (0..<10).map { $0 % 2 },
                                   classNames: ["a", "b"])
        let (train, test) = try trainTestSplit(images, testSize: 0.2, stratify: true, seed: 1)
        XCTAssertEqual(train.shape, [8, 2, 2])
        XCTAssertEqual(test.labels.sorted(), [0, 1])
        for (index, label) in test.labels.enumerated() { XCTAssertEqual(Int(test.pixels[index * 4]) / 4 % 2, label) }
    }
}
