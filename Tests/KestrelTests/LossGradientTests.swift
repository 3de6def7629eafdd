import XCTest
@testable import Kestrel

/// Finite-difference checks of every fused loss gradient, away from clipping edges and kinks.
final class LossGradientTests: XCTestCase {
    private let probabilities = try! Tensor([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.25, 0.25, 0.5], [0.1, 0.3, 0.6]])
    private let logits = uniformTensor([4, 3], low: -3, high: 3, seed: 7)
    private let sparse = Tensor([1, 0, 2, 2])
    private let oneHot = try! Tensor([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 1]])

    func testSparseCategoricalCrossentropy() throws {
        try assertLossGradientMatchesFiniteDifferences(SparseCategoricalCrossentropy(), yTrue: sparse, yPred: probabilities)
        try assertLossGradientMatchesFiniteDifferences(SparseCategoricalCrossentropy(fromLogits: true),
                                                       yTrue: try sparse.reshaped([4, 1]), yPred: logits)
    }

    func testCategoricalCrossentropy() throws {
        try assertLossGradientMatchesFiniteDifferences(CategoricalCrossentropy(), yTrue: oneHot, yPred: probabilities)
        try assertLossGradientMatchesFiniteDifferences(CategoricalCrossentropy(labelSmoothing: 0.2),
                                                       yTrue: oneHot, yPred: probabilities)
        try assertLossGradientMatchesFiniteDifferences(CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1),
                                                       yTrue: oneHot, yPred: logits)
    }

    func testBinaryCrossentropy() throws {
        let targets = try Tensor([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]])
        let predictions = uniformTensor([4, 3], low: 0.05, high: 0.95, seed: 3)
        try assertLossGradientMatchesFiniteDifferences(BinaryCrossentropy(), yTrue: targets, yPred: predictions)
        try assertLossGradientMatchesFiniteDifferences(BinaryCrossentropy(labelSmoothing: 0.3),
                                                       yTrue: targets, yPred: predictions)
        try assertLossGradientMatchesFiniteDifferences(BinaryCrossentropy(fromLogits: true), yTrue: targets, yPred: logits)
    }

    func testRegressionLosses() throws {
        let targets = uniformTensor([4, 3], low: -1, high: 1, seed: 11)
        // Errors kept away from 0 (MAE's kink) and from ±delta (Huber's switch).
        let offsets = try Tensor([[0.3, -0.4, 1.6], [-2.0, 0.7, -0.2], [0.25, 1.4, -0.6], [-1.3, 0.45, 2.2]])
        let predictions = try targets + offsets
        try assertLossGradientMatchesFiniteDifferences(MeanSquaredError(), yTrue: targets, yPred: predictions)
        try assertLossGradientMatchesFiniteDifferences(MeanAbsoluteError(), yTrue: targets, yPred: predictions)
        try assertLossGradientMatchesFiniteDifferences(Huber(), yTrue: targets, yPred: predictions)
        try assertLossGradientMatchesFiniteDifferences(Huber(delta: 0.5), yTrue: targets, yPred: predictions)
    }

    func testUntrackedPredictionsGiveNoGradientNode() throws {
        let values = try SparseCategoricalCrossentropy().perSample(yTrue: sparse, yPred: probabilities)
        XCTAssertFalse(values.requiresGradient)
        let tracked = try CategoricalCrossentropy().perSample(yTrue: oneHot, yPred: probabilities.requiringGradient())
        XCTAssertTrue(tracked.requiresGradient)
    }
}
