import Foundation
import XCTest
@testable import Kestrel

/// `fit` on arrays records what it trained and validated on (`History.data`, saved in the history JSON), so
/// that runs are compared as siblings only on the same data.
final class DataFingerprintTests: XCTestCase {
    func model() throws -> Sequential {
        let model = try Sequential { Input(shape: [2]); Dense(1, activation: .sigmoid) }
        try model.compile(optimizer: "sgd", loss: "binary_crossentropy")
        return model
    }

    static let x = try! Tensor(shape: [10, 2], scalars: (0..<20).map { Float($0) / 20 })
    static let y = try! Tensor(shape: [10, 1], scalars: [0, 1, 0, 1, 1, 0, 0, 1, 1, 1])

    func testFitRecordsCountsAndTargetHashesThatIgnoreSeedAndOrder() throws {
        Kestrel.setRandomSeed(1)
        let first = try model().fit(Self.x, Self.y, epochs: 2, batchSize: 3, verbose: .silent, validationSplit: 0.3)
        Kestrel.setRandomSeed(2)
        let second = try model().fit(Self.x, Self.y, epochs: 1, batchSize: 5, verbose: .silent, validationSplit: 0.3)
        let data = try XCTUnwrap(first.data)
        XCTAssertEqual(data.trainingSamples, 7)
        XCTAssertEqual(data.validationSamples, 3)
        XCTAssertEqual(data.trainingTargets?.count, 16)
        XCTAssertEqual(second.data, data, "another seed and batch size: the same data")
        // The hash is that of the rows' targets, whatever their order: the training rows reversed hash alike.
        let trainingRows = Self.y.scalars.prefix(7)
        XCTAssertEqual(DataFingerprint.targetsHash(samples: 7, valuesPerSample: 1) { sample, _ in trainingRows[trainingRows.startIndex + 6 - sample] },
                       data.trainingTargets)
        // Other validation data: the same count, another target.
        let validationX = try Tensor(shape: [3, 2], scalars: [0, 0, 1, 1, 0.5, 0.5])
        let third = try model().fit(Self.x, Self.y, epochs: 1, verbose: .silent,
                                    validationData: (validationX, try Tensor(shape: [3, 1], scalars: [0, 1, 1])))
        let fourth = try model().fit(Self.x, Self.y, epochs: 1, verbose: .silent,
                                     validationData: (validationX, try Tensor(shape: [3, 1], scalars: [0, 1, 0])))
        XCTAssertEqual(third.data?.trainingSamples, 10)
        XCTAssertEqual(third.data?.validationSamples, fourth.data?.validationSamples)
        XCTAssertNotEqual(third.data?.validationTargets, fourth.data?.validationTargets)
        XCTAssertEqual(third.data?.trainingTargets, fourth.data?.trainingTargets)
    }

    func testTheHistoryJSONHoldsTheFingerprint() throws {
        let history = try model().fit(Self.x, Self.y, epochs: 1, verbose: .silent, validationSplit: 0.2)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: history.jsonData()) as? [String: Any])
        let data = try XCTUnwrap(object["data"] as? [String: Any])
        XCTAssertEqual(data["training_samples"] as? Int, 8)
        XCTAssertEqual(data["validation_samples"] as? Int, 2)
        XCTAssertEqual(data["validation_targets_hash"] as? String, history.data?.validationTargets)
    }
}
