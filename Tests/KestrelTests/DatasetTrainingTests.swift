import XCTest
@testable import Kestrel

/// `fit`, `evaluate` and `predict` fed by KestrelData's `Dataset` and `ImageDataGenerator.flow`.
final class DatasetTrainingTests: XCTestCase {
    /// 2×2 one-channel "images": class 1 is bright on the left column, class 0 on the right.
    private func images(count: Int) throws -> (x: Tensor, y: Tensor) {
        var values: [Float] = []
        var labels: [Int] = []
        for index in 0..<count {
            let label = index % 2
            values += label == 1 ? [1, 0, 1, 0] : [0, 1, 0, 1]
            labels.append(label)
        }
        return (try Tensor(shape: [count, 2, 2, 1], scalars: values), Tensor(labels: labels))
    }

    private func model() throws -> Sequential {
        try Sequential {
            Input(shape: [2, 2, 1])
            Flatten()
            Dense(2, activation: .softmax)
        }
    }

    func testFitEvaluatePredictOnADataset() throws {
        Kestrel.setRandomSeed(5)
        let (x, y) = try images(count: 64)
        let training = try Dataset(x: x, y: y).shuffle(bufferSize: 64, seed: 1).batch(8)
        let validation = try Dataset(x: x, y: y).batch(16)
        let net = try model()
        try net.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let history = try net.fit(training, epochs: 10, verbose: 0, validationData: validation)
        XCTAssertEqual(history.keys, ["accuracy", "loss", "val_accuracy", "val_loss"])
        XCTAssertEqual(history["val_accuracy"]?.last, 1)
        let result = try net.evaluate(validation, verbose: 0)
        XCTAssertEqual(result["accuracy"], 1)
        XCTAssertEqual(try net.predict(validation).shape, [64, 2])
    }

    func testFitOnImageDataGeneratorFlow() throws {
        Kestrel.setRandomSeed(6)
        let (x, y) = try images(count: 32)
        // Vertical flips keep the left/right class signal; the generator feeds fit directly.
        let generator = ImageDataGenerator(verticalFlip: true)
        let flow = try generator.flow(x, y, batchSize: 8, seed: 2)
        let net = try model()
        try net.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let history = try net.fit(flow, epochs: 8, verbose: 0)
        XCTAssertEqual(history.epoch.count, 8)
        XCTAssertLessThan(history["loss"]!.last!, history["loss"]!.first!)
    }

    func testStepsPerEpochCyclesThroughTheDataset() throws {
        let (x, y) = try images(count: 16)
        let net = try model()
        try net.compile(optimizer: .sgd(), loss: .sparseCategoricalCrossentropy)
        var batches = 0
        let counter = LambdaCallback(onBatchEnd: { _, _ in batches += 1 })
        try net.fit(try Dataset(x: x, y: y).batch(4), epochs: 3, verbose: 0, callbacks: [counter], stepsPerEpoch: 3)
        XCTAssertEqual(batches, 9)
    }

    /// tf.data's `shuffle(BUFFER_SIZE).repeat().batch(BATCH_SIZE)` with `steps_per_epoch`, as the overfit-and-underfit
    /// tutorial writes it: each epoch takes the next batches of the one endless pass; without `stepsPerEpoch`
    /// (and in `evaluate`, `predict` or as validation data) an endless dataset is an error naming the fix.
    func testAnEndlessRepeatTrainsWithStepsPerEpochAndIsRefusedElsewhere() throws {
        let (x, y) = try images(count: 16)
        let endless = try Dataset(x: x, y: y).shuffle(16, seed: 2).repeat().batch(5)
        let net = try model()
        try net.compile(optimizer: .sgd(), loss: .sparseCategoricalCrossentropy)
        var steps = 0
        let counter = LambdaCallback(onBatchEnd: { _, _ in steps += 1 })
        try net.fit(endless, epochs: 3, verbose: 0, callbacks: [counter], stepsPerEpoch: 4)
        XCTAssertEqual(steps, 12, "3 epochs of 4 steps from one endless pass")
        XCTAssertThrowsError(try net.fit(endless, epochs: 1, verbose: 0)) { XCTAssertTrue("\($0)".contains("stepsPerEpoch"), "\($0)") }
        XCTAssertThrowsError(try net.fit(try Dataset(x: x, y: y).batch(4), epochs: 1, verbose: 0, validationData: endless)) {
            XCTAssertTrue("\($0)".contains("take("), "\($0)")
        }
        XCTAssertThrowsError(try net.evaluate(endless, verbose: 0)) { XCTAssertTrue("\($0)".contains("evaluate"), "\($0)") }
        XCTAssertThrowsError(try net.predict(endless)) { XCTAssertTrue("\($0)".contains("predict"), "\($0)") }
        XCTAssertTrue(try net.evaluate(endless.take(2), verbose: 0).loss.isFinite, "a finite part evaluates")
    }

    func testMixedShapesInADatasetGiveAnErrorNotACrash() throws {
        let elements = [DataElement(x: [1, 2, 3, 4], xShape: [2, 2, 1], y: [0], yShape: []),
                        DataElement(x: [1, 2, 3], xShape: [3, 1, 1], y: [1], yShape: [])]
        let batches = try Dataset(elements: elements).batch(2).collect()
        XCTAssertEqual(batches.map(\.xShape), [[1, 2, 2, 1], [1, 3, 1, 1]], "a shape change closes the batch")
        let net = try model()
        try net.compile(optimizer: .sgd(), loss: .sparseCategoricalCrossentropy)
        XCTAssertThrowsError(try net.fit(try Dataset(elements: elements).batch(2), epochs: 1, verbose: 0)) { error in
            XCTAssertTrue("\(error)".contains("(None, 3, 1, 1)"), "\(error)")
        }
    }
}
