import XCTest
@testable import Kestrel

/// Loss argument and label checks: clear errors for the usual mistakes, and Keras string names.
final class LossValidationTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return (error as? KestrelError)?.message ?? "\(error)" }
        XCTFail("expected an error")
        return ""
    }

    func testSparseLabelOutOfRangeNamesLabelIndexAndClassCount() throws {
        let labels = Tensor([0, 2, 10, 1])
        let text = message { try SparseCategoricalCrossentropy().validate(yTrue: labels, yPredShape: [4, 10]) }
        XCTAssertTrue(text.contains("label 10"), text)
        XCTAssertTrue(text.contains("index 2"), text)
        XCTAssertTrue(text.contains("0..<10"), text)
        // perSample refuses too rather than reading outside the row.
        XCTAssertThrowsError(try SparseCategoricalCrossentropy().perSample(yTrue: labels, yPred: try Tensor.ones([4, 10])))
        XCTAssertThrowsError(try SparseCategoricalCrossentropy().validate(yTrue: Tensor([0, -1]), yPredShape: [2, 3]))
        XCTAssertThrowsError(try SparseCategoricalCrossentropy().validate(yTrue: Tensor([0, 1.5]), yPredShape: [2, 3]))
    }

    func testOneHotGivenToSparseLossSuggestsCategorical() throws {
        let oneHot = try Tensor([[0, 1, 0], [1, 0, 0]])
        let text = message { try SparseCategoricalCrossentropy().validate(yTrue: oneHot, yPredShape: [2, 3]) }
        XCTAssertTrue(text.contains("one-hot"), text)
        XCTAssertTrue(text.contains("categoricalCrossentropy"), text)
        XCTAssertThrowsError(try SparseCategoricalCrossentropy().perSample(yTrue: oneHot, yPred: try Tensor.ones([2, 3])))
    }

    func testIndicesGivenToCategoricalLossSuggestsSparse() throws {
        let text = message { try CategoricalCrossentropy().validate(yTrue: Tensor([1, 2]), yPredShape: [2, 3]) }
        XCTAssertTrue(text.contains("sparseCategoricalCrossentropy"), text)
        XCTAssertThrowsError(try CategoricalCrossentropy().validate(yTrue: try Tensor.ones([2, 4]), yPredShape: [2, 3]))
    }

    func testShapeMismatchesThrow() {
        XCTAssertThrowsError(try MeanSquaredError().perSample(yTrue: try Tensor.ones([4, 2]), yPred: try Tensor.ones([4, 3])))
        XCTAssertThrowsError(try BinaryCrossentropy().validate(yTrue: try Tensor.ones([3]), yPredShape: [4, 1]))
        XCTAssertThrowsError(try SparseCategoricalCrossentropy().validate(yTrue: try Tensor.ones([3]), yPredShape: [4, 5]))
        XCTAssertThrowsError(try SparseCategoricalCrossentropy().validate(yTrue: try Tensor.ones([4]), yPredShape: [4]))
        XCTAssertThrowsError(try MeanSquaredError().reduced(yTrue: try Tensor.ones([4, 1]), yPred: try Tensor.ones([4, 1]),
                                                            sampleWeight: try Tensor.ones([3])))
        // [N] targets against [N, 1] predictions are fine, as in Keras.
        XCTAssertNoThrow(try MeanSquaredError().perSample(yTrue: try Tensor.ones([4]), yPred: try Tensor.ones([4, 1])))
        XCTAssertNoThrow(try SparseCategoricalCrossentropy().validate(yTrue: Tensor([0, 1, 2, 1]), yPredShape: [4, 3]))
        XCTAssertNoThrow(try SparseCategoricalCrossentropy().validate(yTrue: try Tensor.zeros([4, 1]), yPredShape: [4, 3]))
    }

    func testInvalidSmoothingAndDelta() {
        XCTAssertThrowsError(try CategoricalCrossentropy(labelSmoothing: 1.5).validate(yTrue: try Tensor.ones([2, 3]), yPredShape: [2, 3]))
        XCTAssertThrowsError(try BinaryCrossentropy(labelSmoothing: -0.1).validate(yTrue: try Tensor.ones([2, 1]), yPredShape: [2, 1]))
        XCTAssertThrowsError(try Huber(delta: -1).validate(yTrue: try Tensor.ones([2, 1]), yPredShape: [2, 1]))
    }

    func testNamedAndStaticMembers() throws {
        XCTAssertTrue(try Loss.named("sparse_categorical_crossentropy") is SparseCategoricalCrossentropy)
        XCTAssertTrue(try Loss.named("categorical_crossentropy") is CategoricalCrossentropy)
        XCTAssertTrue(try Loss.named("binary_crossentropy") is BinaryCrossentropy)
        XCTAssertTrue(try Loss.named("mse") is MeanSquaredError)
        XCTAssertTrue(try Loss.named("mean_squared_error") is MeanSquaredError)
        XCTAssertTrue(try Loss.named("mae") is MeanAbsoluteError)
        XCTAssertTrue(try Loss.named("mean_absolute_error") is MeanAbsoluteError)
        XCTAssertTrue(try Loss.named("huber") is Huber)
        XCTAssertEqual(try Loss.named("mse").name, "mse")
        let text = message { _ = try Loss.named("hinge") }
        XCTAssertTrue(text.contains("hinge") && text.contains("\"sparse_categorical_crossentropy\""), text)

        let loss: Loss = .sparseCategoricalCrossentropy
        XCTAssertFalse((loss as? SparseCategoricalCrossentropy)?.fromLogits ?? true)
        let logits: Loss = .sparseCategoricalCrossentropy(fromLogits: true)
        XCTAssertTrue((logits as? SparseCategoricalCrossentropy)?.fromLogits ?? false)
        XCTAssertEqual((Loss.categoricalCrossentropy(labelSmoothing: 0.1) as? CategoricalCrossentropy)?.labelSmoothing, 0.1)
        XCTAssertTrue((Loss.binaryCrossentropy(fromLogits: true) as? BinaryCrossentropy)?.fromLogits ?? false)
        XCTAssertEqual((Loss.huber(delta: 2) as? Huber)?.delta, 2)
        XCTAssertEqual(Loss.huber.name, "huber_loss")
        XCTAssertEqual(Loss.meanSquaredError.name, "mean_squared_error")
    }
}
