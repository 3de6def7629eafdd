import XCTest
@testable import Kestrel

/// A batch size far above the sample count (`--batch-size 9223372036854775807`, 2^62) is one batch
/// of every sample, as in Keras — not an arithmetic overflow trap in fit, evaluate or predict.
final class HugeBatchSizeTests: XCTestCase {
    private func model() throws -> Sequential {
        let model = try Sequential { Input(shape: [2]); Dense(1, kernelInitializer: .ones, biasInitializer: .zeros) }
        try model.compile(optimizer: SGD(learningRate: 0.1), loss: try Loss.named("mse"))
        return model
    }

    private let x = try! Tensor(shape: [5, 2], scalars: [1, 0, 0, 1, 1, 1, 2, 0, 0, 2])
    private let y = try! Tensor(shape: [5, 1], scalars: [1, 1, 2, 2, 2])

    func testPredictAndEvaluateWithAHugeBatchSizeUseOneBatch() throws {
        for batchSize in [Int.max, 1 << 62, 6] {
            let model = try model()
            // Kernel of ones, zero bias: each prediction is the row's sum.
            XCTAssertEqual(try model.predict(x, batchSize: batchSize).scalars, [1, 1, 2, 2, 2])
            let result: EvaluationResult = try model.evaluate(x, y, batchSize: batchSize, verbose: .silent)
            XCTAssertEqual(result.values.first ?? .nan, 0, accuracy: 1e-7)
        }
    }

    func testFitWithAHugeBatchSizeTakesOneStepPerEpochLikeTheWholeBatch() throws {
        let whole = try model(), huge = try model()
        let target = try Tensor(shape: [5, 1], scalars: [0, 0, 0, 0, 0])
        _ = try whole.fit(x, target, epochs: 2, batchSize: 5, verbose: .silent, shuffle: false)
        let history = try huge.fit(x, target, epochs: 2, batchSize: Int.max, verbose: .silent, validationData: (x, target),
                                   shuffle: false, validationBatchSize: 1 << 62)
        XCTAssertEqual(history.history["loss"]?.count, 2)
        XCTAssertEqual(huge.layers[0].weights[0].value.scalars, whole.layers[0].weights[0].value.scalars)
        XCTAssertThrowsError(try huge.fit(x, target, epochs: 1, batchSize: 2, verbose: .silent, validationSplit: 0.2, validationBatchSize: 0)) { error in
            XCTAssertTrue("\(error)".contains("validationBatchSize must be positive, got 0"), "\(error)")
        }
    }
}
