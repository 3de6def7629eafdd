import XCTest
@testable import Kestrel

/// `evaluate` on arrays runs the forward pass over chunks of several batches, but its logs and
/// test-batch callbacks must be exactly those of the one-batch-at-a-time loop (used for datasets).
final class ChunkedEvaluationTests: XCTestCase {
    /// Records every test-batch callback: its index and the logs it saw.
    private final class TestBatchRecorder: Callback, @unchecked Sendable {
        var begun: [Int] = []
        var ended: [(batch: Int, logs: [String: Double])] = []
        override func onTestBatchBegin(_ batch: Int, logs: inout [String: Double]) { begun.append(batch) }
        override func onTestBatchEnd(_ batch: Int, logs: inout [String: Double]) { ended.append((batch, logs)) }
    }

    func testChunkedArraysGiveTheSameBatchLogsAsADataset() throws {
        Kestrel.setRandomSeed(3)
        // 1000 samples of 2000 features, batch 30: 34 batches, the last one of 10; with the 1 Mi-value
        // chunk budget the forward pass runs over two chunks of 17 batches (510 and 490 rows).
        let count = 1000, features = 2000, batchSize = 30
        var generator = RandomGenerator(seed: 9)
        let x = try Tensor(shape: [count, features], scalars: (0..<(count * features)).map { _ in generator.nextUniform() })
        let y = Tensor(labels: (0..<count).map { $0 % 3 })
        let weights = try Tensor(shape: [count], scalars: (0..<count).map { Float($0 % 5 + 1) })
        let model = try Sequential {
            Input(shape: [features])
            Dense(16, activation: .relu)
            Dense(3, activation: .softmax)
        }
        try model.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])

        XCTAssertEqual(ArrayBatchSource(data: ArrayData(inputs: [x], targets: [y], sampleWeight: nil), batchSize: batchSize)
            .makeInferenceChunks(maximumElements: Model.inferenceChunkElements).map(\.batchSizes.count), [17, 17])

        let chunked = TestBatchRecorder(), batched = TestBatchRecorder()
        let arrays: EvaluationResult = try model.evaluate(x, y, batchSize: batchSize, verbose: 0, sampleWeight: weights, callbacks: [chunked])
        let dataset = try Dataset(x: x, y: y).batch(batchSize)
        _ = try model.evaluate(dataset, verbose: 0, callbacks: [batched])
        XCTAssertEqual(chunked.begun, Array(0..<34))
        XCTAssertEqual(chunked.ended.map(\.batch), Array(0..<34))

        // Without sample weights the dataset loop is the reference, batch by batch.
        let unweighted = TestBatchRecorder()
        _ = try model.evaluate(x, y, batchSize: batchSize, verbose: 0, callbacks: [unweighted])
        XCTAssertEqual(unweighted.ended.count, batched.ended.count)
        for (mine, reference) in zip(unweighted.ended, batched.ended) {
            XCTAssertEqual(mine.batch, reference.batch)
            XCTAssertEqual(mine.logs["loss"]!, reference.logs["loss"]!, accuracy: 1e-6, "batch \(mine.batch)")
            XCTAssertEqual(mine.logs["accuracy"]!, reference.logs["accuracy"]!, accuracy: 1e-9, "batch \(mine.batch)")
        }
        // The weighted result is the weighted mean of the per-sample losses, as Keras computes it.
        let probabilities = try model.predict(x, verbose: 0).scalars
        var weightedTotal = 0.0, batchMeans: [(Double, Int)] = []
        for start in stride(from: 0, to: count, by: batchSize) {
            let rows = start..<min(start + batchSize, count)
            var total = 0.0
            for row in rows { total += Double(weights.scalars[row]) * -log(Double(probabilities[row * 3 + row % 3])) }
            batchMeans.append((total / Double(rows.count), rows.count))
        }
        for (mean, size) in batchMeans { weightedTotal += mean * Double(size) }
        XCTAssertEqual(arrays["loss"]!, weightedTotal / Double(count), accuracy: 1e-4)
    }

    /// Batches of images (more than a quarter of a chunk each) are evaluated one at a time, so that
    /// validation does not keep a second, larger set of activations; small rows still share chunks.
    func testLargeBatchesAreChunkedOneAtATime() throws {
        func chunkSizes(rowSize: Int, count: Int, batchSize: Int) throws -> [Int] {
            let x = try Tensor.zeros([count, rowSize]), y = Tensor(labels: Array(repeating: 0, count: count))
            return ArrayBatchSource(data: ArrayData(inputs: [x], targets: [y], sampleWeight: nil), batchSize: batchSize)
                .makeInferenceChunks(maximumElements: Model.inferenceChunkElements).map(\.batchSizes.count)
        }
        XCTAssertEqual(try chunkSizes(rowSize: 32 * 32 * 3, count: 512, batchSize: 128), [1, 1, 1, 1])
        XCTAssertEqual(try chunkSizes(rowSize: 784, count: 64 * 40, batchSize: 64), [20, 20])
    }
}
