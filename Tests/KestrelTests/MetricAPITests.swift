import XCTest
@testable import Kestrel

/// Metric names, factories, accuracy resolution details, weights and error paths.
final class MetricAPITests: XCTestCase {
    func testNamedUsesTheGivenStringAsLogKey() throws {
        XCTAssertTrue(try Metric.named("accuracy") is AutoAccuracy)
        XCTAssertEqual(try Metric.named("acc").name, "acc")
        XCTAssertTrue(try Metric.named("mse") is MeanSquaredErrorMetric)
        XCTAssertEqual(try Metric.named("mean_absolute_error").name, "mean_absolute_error")
        XCTAssertTrue(try Metric.named("auc", loss: .binaryCrossentropy) is AUC)
        XCTAssertTrue(try Metric.named("precision") is Precision)
        XCTAssertTrue(try Metric.named("recall") is Recall)
        XCTAssertTrue(try Metric.named("top_k_categorical_accuracy") is TopKCategoricalAccuracy)
        XCTAssertThrowsError(try Metric.named("f1")) { error in
            let message = (error as? KestrelError)?.message ?? ""
            XCTAssertTrue(message.contains("f1") && message.contains("\"accuracy\""), message)
        }
    }

    func testStaticMembersAreFreshInstances() {
        let first = Metric.accuracy, second = Metric.accuracy
        XCTAssertFalse(first === second)
        XCTAssertEqual((Metric.topKCategoricalAccuracy(k: 3) as? TopKCategoricalAccuracy)?.k, 3)
        XCTAssertEqual((Metric.binaryAccuracy(threshold: 0.7) as? BinaryAccuracy)?.threshold, 0.7)
        XCTAssertEqual((try Metric.auc(numThresholds: 50) as? AUC)?.numThresholds, 50)
        XCTAssertEqual(Metric.sparseTopKCategoricalAccuracy.name, "sparse_top_k_categorical_accuracy")
    }

    func testAccuracyResolutionByShapes() {
        func resolved(_ t: [Int], _ p: [Int]) -> Metric { Metric.accuracy.resolved(for: nil, yTrueShape: t, yPredShape: p) }
        XCTAssertTrue(resolved([32], [32, 10]) is SparseCategoricalAccuracy)
        XCTAssertTrue(resolved([32, 1], [32, 10]) is SparseCategoricalAccuracy)
        XCTAssertTrue(resolved([32, 10], [32, 10]) is CategoricalAccuracy)
        XCTAssertTrue(resolved([32, 1], [32, 1]) is BinaryAccuracy)
        XCTAssertTrue(resolved([32], [32, 1]) is BinaryAccuracy)
        XCTAssertTrue(resolved([32], [32]) is BinaryAccuracy)
        // Concrete metrics resolve to themselves.
        let auc = Metric.auc
        XCTAssertTrue(auc.resolved(for: nil, yTrueShape: [4, 1], yPredShape: [4, 1]) === auc)
    }

    func testUnresolvedAccuracyResolvesOnFirstBatch() throws {
        let accuracy = AutoAccuracy()
        try accuracy.updateState(yTrue: Tensor([2, 0]), yPred: try Tensor([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]),
                                 sampleWeight: nil)
        XCTAssertTrue(accuracy.resolvedMetricIfAny is SparseCategoricalAccuracy)
        XCTAssertEqual(accuracy.result(), 1)
        try accuracy.updateState(yTrue: Tensor([1]), yPred: try Tensor([[0.9, 0.05, 0.05]]), sampleWeight: nil)
        XCTAssertEqual(accuracy.result(), 2.0 / 3.0, accuracy: 1e-12)
    }

    func testMeanWeightsBatchesBySize() throws {
        let mean = Mean()
        mean.update(value: 2, weight: 64)
        mean.update(value: 1, weight: 32)
        XCTAssertEqual(mean.result(), (2.0 * 64 + 32) / 96, accuracy: 1e-12)
        mean.resetState()
        XCTAssertEqual(mean.result(), 0)
        try mean.update(values: Tensor([1, 3]), sampleWeight: Tensor([3, 1]))
        XCTAssertEqual(mean.result(), 1.5, accuracy: 1e-12)
    }

    func testPrecisionRecallEdgeCases() throws {
        let precision = Precision(), recall = Recall()
        XCTAssertEqual(precision.result(), 0)  // no predictions yet: divide-no-nan gives 0
        let yTrue = Tensor([1, 0, 1, 1]), yPred = Tensor([0.9, 0.8, 0.5, 0.2])
        try precision.updateState(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
        try recall.updateState(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
        XCTAssertEqual(precision.result(), 0.5, accuracy: 1e-12)  // 0.5 is not > 0.5
        XCTAssertEqual(recall.result(), 1.0 / 3.0, accuracy: 1e-12)
    }

    func testAUCPerfectAndInverted() throws {
        let perfect = try AUC()
        try perfect.updateState(yTrue: Tensor([0, 0, 1, 1]), yPred: Tensor([0.1, 0.2, 0.8, 0.9]), sampleWeight: nil)
        XCTAssertEqual(perfect.result(), 1, accuracy: 1e-9)
        let inverted = try AUC()
        try inverted.updateState(yTrue: Tensor([1, 1, 0, 0]), yPred: Tensor([0.1, 0.2, 0.8, 0.9]), sampleWeight: nil)
        XCTAssertEqual(inverted.result(), 0, accuracy: 1e-9)
        XCTAssertThrowsError(try AUC(numThresholds: 1))
    }

    func testBadShapesAndWeightsThrow() {
        let probabilities = try! Tensor([[0.1, 0.9], [0.8, 0.2]])
        XCTAssertThrowsError(try SparseCategoricalAccuracy().updateState(yTrue: Tensor([1, 0, 1]), yPred: probabilities, sampleWeight: nil))
        XCTAssertThrowsError(try CategoricalAccuracy().updateState(yTrue: Tensor([1, 0]), yPred: probabilities, sampleWeight: nil))
        XCTAssertThrowsError(try BinaryAccuracy().updateState(yTrue: Tensor([1, 0, 1]), yPred: probabilities, sampleWeight: nil))
        XCTAssertThrowsError(try SparseCategoricalAccuracy().updateState(yTrue: Tensor([1, 0]), yPred: probabilities,
                                                                        sampleWeight: Tensor([1, 1, 1])))
        XCTAssertThrowsError(try Precision().updateState(yTrue: Tensor([1]), yPred: probabilities, sampleWeight: nil))
    }

    func testSparseAccuracyTieTakesFirstMaximum() throws {
        let metric = SparseCategoricalAccuracy()
        try metric.updateState(yTrue: Tensor([0, 1]), yPred: try Tensor([[0.5, 0.5], [0.5, 0.5]]), sampleWeight: nil)
        XCTAssertEqual(metric.result(), 0.5)
    }
}
