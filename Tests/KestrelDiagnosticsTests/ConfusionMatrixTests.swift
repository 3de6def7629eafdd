import Foundation
import XCTest
@testable import KestrelDiagnostics

final class ConfusionMatrixTests: XCTestCase {
    // true:      0 0 0 0 1 1 1 2 2 2
    // predicted: 0 0 1 2 1 1 0 2 2 1
    let trueLabels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    let predicted = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1]

    func testCountsAndPerClassMetricsByHand() throws {
        let matrix = try ConfusionMatrix(trueLabels: trueLabels, predictedLabels: predicted, classNames: ["cat", "dog", "owl"])
        XCTAssertEqual(matrix.counts, [[2, 1, 1], [1, 2, 0], [0, 1, 2]])
        XCTAssertEqual(matrix.total, 10)
        XCTAssertEqual(matrix.accuracy, 0.6, accuracy: 1e-12)
        let metrics = matrix.perClassMetrics
        XCTAssertEqual(metrics[0].recall, 0.5, accuracy: 1e-12)        // 2 of 4 cats
        XCTAssertEqual(metrics[0].precision, 2.0 / 3.0, accuracy: 1e-12) // 2 of 3 predicted cats
        XCTAssertEqual(metrics[0].f1, 2 * 0.5 * (2.0 / 3.0) / (0.5 + 2.0 / 3.0), accuracy: 1e-12)
        XCTAssertEqual(metrics[1].precision, 0.5, accuracy: 1e-12)     // 2 of 4 predicted dogs
        XCTAssertEqual(metrics[1].recall, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(metrics[2].support, 3)
        XCTAssertEqual(metrics[2].accuracy, metrics[2].recall)
        let f1s = metrics.map(\.f1)
        XCTAssertEqual(matrix.macroF1, f1s.reduce(0, +) / 3, accuracy: 1e-12)
    }

    func testMostConfusedPairsOrder() throws {
        let matrix = try ConfusionMatrix(counts: [[50, 3, 9], [7, 40, 0], [1, 9, 30]], classNames: ["a", "b", "c"])
        let pairs = matrix.mostConfusedPairs(limit: 3)
        XCTAssertEqual(pairs.map { [$0.trueClass, $0.predictedClass] }, [[0, 2], [2, 1], [1, 0]])
        XCTAssertEqual(pairs[1].fractionOfTrueClass, 9.0 / 40.0, accuracy: 1e-12)
        XCTAssertEqual(pairs[1].sentence, "c → b: 9 (22.5% of c)")
    }

    func testPerClassGapFlagsOnlyTheOverfittedClass() throws {
        let train = try ConfusionMatrix(counts: [[100, 0], [0, 100]])
        let validation = try ConfusionMatrix(counts: [[98, 2], [30, 70]])
        let gaps = try ConfusionMatrix.perClassGap(train: train, validation: validation)
        XCTAssertEqual(gaps.map(\.isOverfitted), [false, true])
        XCTAssertEqual(gaps[1].gap, 0.3, accuracy: 1e-12)
        let three = try ConfusionMatrix(counts: [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        XCTAssertThrowsError(try ConfusionMatrix.perClassGap(train: train, validation: three))
    }

    func testErrorsInsteadOfCrashes() {
        XCTAssertThrowsError(try ConfusionMatrix(trueLabels: [0, 1], predictedLabels: [0])) { error in
            XCTAssertEqual(error as? ConfusionMatrixError, .lengthMismatch(trueCount: 2, predictedCount: 1))
        }
        XCTAssertThrowsError(try ConfusionMatrix(trueLabels: [0, 3], predictedLabels: [0, 1], classCount: 3)) { error in
            XCTAssertEqual("\(error)", "trueLabels[1] is 3, outside 0..<3; pass labels as class indices or raise classCount.")
        }
        XCTAssertThrowsError(try ConfusionMatrix(trueLabels: [0, 1], predictedLabels: [-1, 1])) { error in
            guard case .labelOutOfRange(argument: "predictedLabels", position: 0, label: -1, classCount: 2)? = error as? ConfusionMatrixError
            else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try ConfusionMatrix(trueLabels: [0, 1], predictedLabels: [0, 1], classNames: ["x"]))
        XCTAssertThrowsError(try ConfusionMatrix(counts: [[1, 2], [3]]))
    }

    func testFromScores() throws {
        let scores: [Float] = [0.1, 0.7, 0.2,   0.8, 0.1, 0.1,   .nan, 0.2, 0.3]
        XCTAssertEqual(try ConfusionMatrix.predictedLabels(scores: scores, classCount: 3), [1, 0, 2])
        let matrix = try ConfusionMatrix(trueLabels: [1, 1, 2], scores: scores, classCount: 3)
        XCTAssertEqual(matrix.counts, [[0, 0, 0], [1, 1, 0], [0, 0, 1]])
        XCTAssertThrowsError(try ConfusionMatrix.predictedLabels(scores: scores, classCount: 4)) { error in
            XCTAssertEqual(error as? ConfusionMatrixError, .invalidScores(count: 9, classCount: 4))
        }
    }

    func testRealKerasPredictions() throws {
        struct Predictions: Decodable {
            let classes: [String]
            let train_true: [Int], train_predicted: [Int], validation_true: [Int], validation_predicted: [Int]
        }
        let data = try Data(contentsOf: Fixtures.url("keras_predictions.json"))
        let predictions = try JSONDecoder().decode(Predictions.self, from: data)
        let train = try ConfusionMatrix(trueLabels: predictions.train_true, predictedLabels: predictions.train_predicted,
                                        classNames: predictions.classes)
        let validation = try ConfusionMatrix(trueLabels: predictions.validation_true,
                                             predictedLabels: predictions.validation_predicted, classNames: predictions.classes)
        // The run overfits: training accuracy 1.0 (CSVLogger's last epoch), validation 0.6475.
        XCTAssertEqual(train.accuracy, 1.0, accuracy: 1e-9)
        XCTAssertEqual(validation.accuracy, 0.6475, accuracy: 1e-9)
        XCTAssertEqual(validation.total, 400)
        let gaps = try ConfusionMatrix.perClassGap(train: train, validation: validation)
        XCTAssertTrue(gaps.allSatisfy(\.isOverfitted))
    }
}
