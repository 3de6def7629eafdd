import Foundation
import XCTest
import Kestrel
@testable import KestrelDistributed

/// The data-parallel logic without MPI: ranks as threads of this process (InProcessGroup).
final class DataParallelTests: XCTestCase {
    func testBucketsHoldConsecutiveGradientsUpToTheLimit() {
        XCTAssertEqual(GradientAverager.buckets(sizes: [3, 3, 3], bucketFloats: 6), [[0, 1], [2]])
        XCTAssertEqual(GradientAverager.buckets(sizes: [10, 2, 2], bucketFloats: 4), [[0], [1, 2]])
        XCTAssertEqual(GradientAverager.buckets(sizes: [1, 1], bucketFloats: 1), [[0], [1]])
        XCTAssertEqual(GradientAverager.buckets(sizes: [], bucketFloats: 8), [[]])
    }

    func testEveryRowOfAGlobalBatchGoesToExactlyOneRank() {
        for size in 1...4 {
            for count in 0...11 {
                let ranges = InProcessGroup(size: size).communicators().map { DataParallel(communicator: $0).localRows(ofGlobalBatch: count) }
                XCTAssertEqual(ranges.flatMap { Array($0) }, Array(0..<count), "size \(size), count \(count)")
                XCTAssertLessThanOrEqual(ranges.map(\.count).max()! - ranges.map(\.count).min()!, 1)
            }
        }
    }

    func testGradientsAreAveragedWeightedByEachRanksRows() throws {
        for bucketBytes in [4, 1 << 20] {
            let results = try InProcessGroup(size: 2).run { communicator -> [[Float]] in
                let averager = GradientAverager(communicator: communicator, bucketBytes: bucketBytes)
                averager.localRows = communicator.rank == 0 ? 3 : 1
                let gradients = communicator.rank == 0
                    ? [try Tensor(shape: [2], scalars: [1, 2]), try Tensor(shape: [1], scalars: [-4])]
                    : [try Tensor(shape: [2], scalars: [5, 10]), try Tensor(shape: [1], scalars: [8])]
                let averaged = try averager.transform(gradients, variables: [])
                XCTAssertEqual(averager.floatsAllreduced, 4, "3 gradient values and the row count")
                return averaged.map(\.scalars)
            }
            // (3·[1, 2] + 1·[5, 10]) / 4 and (3·-4 + 8) / 4, on both ranks.
            XCTAssertEqual(results[0], [[2, 4], [-1]], "bucketBytes \(bucketBytes)")
            XCTAssertEqual(results[1], results[0])
        }
    }

    func testLogsCombineEveryRanksLossAndMetricState() throws {
        let logs = try InProcessGroup(size: 2).run { communicator -> [String: Double] in
            let model = try Sequential { Input(shape: [1]); Dense(2, activation: .softmax) }
            try model.compile(optimizer: .sgd(), loss: .sparseCategoricalCrossentropy, metrics: ["sparse_categorical_accuracy"])
            // Rank 0: 1 of 2 right; rank 1: 0 of 3 right → 1 of 5 overall.
            let metric = try XCTUnwrap(model.compiledMetrics.first)
            let local: [Double] = communicator.rank == 0 ? [1, 2] : [0, 3]
            try metric.restoreStateValues(local)
            // Loss totals 2 over 2 rows and 6 over 3 rows → 8 / 5; a custom key averaged over the ranks.
            try model.lossTracker.restoreStateValues(communicator.rank == 0 ? [2, 2] : [6, 3])
            let logs = try DataParallel(communicator: communicator).combinedLogs(
                model, local: ["loss": model.lossTracker.result(), metric.name: metric.result(), "gap": communicator.rank == 0 ? 1 : 4])
            XCTAssertEqual(metric.stateValues, local, "the local state is kept")
            return logs
        }
        XCTAssertEqual(logs[0]["loss"] ?? .nan, 8.0 / 5.0, accuracy: 1e-12)
        XCTAssertEqual(logs[0]["sparse_categorical_accuracy"] ?? .nan, 0.2, accuracy: 1e-12)
        XCTAssertEqual(logs[0]["gap"] ?? .nan, 2.5, accuracy: 1e-12)
        XCTAssertEqual(logs[1], logs[0])
    }

    func testAnyRankStoppingStopsEveryRank() throws {
        let answers = try InProcessGroup(size: 3).run { communicator in
            try DataParallel(communicator: communicator).anyRankStops(communicator.rank == 2)
        }
        XCTAssertEqual(answers, [true, true, true])
    }

    func testStartCopiesRankZerosWeightsAndRefusesDifferentModels() throws {
        let weights = try InProcessGroup(size: 2).run { communicator -> [Float] in
            let model = try Sequential { Input(shape: [2]); Dense(3) }
            try model.setWeights([try Tensor(shape: [2, 3], scalars: (0..<6).map { Float($0 + 10 * communicator.rank) }),
                                  try Tensor(shape: [3], scalars: [Float(communicator.rank), 0, 0])])
            try DataParallel(communicator: communicator).trainingWillBegin(model, source: NoBatches(batchesPerPass: 3))
            return model.weights.flatMap(\.value.scalars)
        }
        XCTAssertEqual(weights[0], [0, 1, 2, 3, 4, 5, 0, 0, 0])
        XCTAssertEqual(weights[1], weights[0])

        let errors = try InProcessGroup(size: 2).run { communicator -> String in
            let model = try Sequential { Input(shape: [2]); Dense(communicator.rank == 0 ? 3 : 4) }
            do {
                try DataParallel(communicator: communicator).trainingWillBegin(model, source: NoBatches(batchesPerPass: 3))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        for (rank, message) in errors.enumerated() {
            XCTAssertTrue(message.hasPrefix("rank \(rank): the ranks were not started alike: rank 1's model is '2 weights, 12 values: "),
                          message)
            XCTAssertTrue(message.contains("[2, 4]") && message.contains("where rank 0's is '2 weights, 9 values: "), message)
        }
    }

    func testRanksWithAnotherVersionOrDataSizeAreNamed() throws {
        let errors = try InProcessGroup(size: 3).run { communicator -> String in
            let fields: [RankAgreement.Field] = [.init("Kestrel version", communicator.rank == 2 ? "0.0.9" : "0.1.0"),
                                                 .init("batches per epoch", communicator.rank == 1 ? "13" : "12")]
            do {
                try RankAgreement.check(fields, over: communicator, fix: "Fix it.")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let expected = "the ranks were not started alike: rank 1's batches per epoch is '13' where rank 0's is '12'; "
            + "rank 2's Kestrel version is '0.0.9' where rank 0's is '0.1.0'. Fix it."
        XCTAssertEqual(errors, (0..<3).map { "rank \($0): " + expected })
        let agreeing = try InProcessGroup(size: 2).run { communicator -> Bool in
            try RankAgreement.check([.init("Kestrel version", "0.1.0")], over: communicator, fix: "")
            return true
        }
        XCTAssertEqual(agreeing, [true, true])
    }

    func testBytesBroadcastFromTheRootWhateverTheirValues() throws {
        let sent: [UInt8] = [0, 255, 128, 1, 254, 127, 0, 0, 255, 7]
        for length in [0, 1, 2, 3, 4, 10] {
            let received = try InProcessGroup(size: 3).run { communicator -> [UInt8] in
                var bytes: [UInt8] = communicator.rank == 1 ? Array(sent.prefix(length)) : [9, 9]
                try communicator.broadcastBytes(&bytes, root: 1)
                return bytes
            }
            XCTAssertEqual(received, Array(repeating: Array(sent.prefix(length)), count: 3), "length \(length)")
        }
    }

    func testEachRankValidatesItsRowsOfEveryValidationBatch() throws {
        let parts = try InProcessGroup(size: 2).run { communicator -> [[Float]] in
            let source = try DataParallel(communicator: communicator).validationSource(FixedBatches(sizes: [5, 1, 4]))
            var generator = RandomGenerator(seed: 0)
            return Array(try source.makePass(shuffled: false, generator: &generator)).map(\.x.scalars)
        }
        // Batches of rows 0..<5, 5..<6, 6..<10: rank 0 takes the first ⌊n/2⌋ rows of each (none of the 1-row batch).
        XCTAssertEqual(parts[0], [[0, 1], [6, 7]])
        XCTAssertEqual(parts[1], [[2, 3, 4], [5], [8, 9]])
    }

    func testMidEpochBackupsAreRefusedUnderDataParallelism() throws {
        let folder = NSTemporaryDirectory() + "kestrel-unused-backup-\(UUID().uuidString)"
        let messages = try InProcessGroup(size: 2).run { communicator -> String in
            let model = try Sequential { Input(shape: [2]); Dense(2, activation: .softmax) }
            try model.compile(optimizer: .sgd(), loss: .sparseCategoricalCrossentropy)
            let x = try Tensor(shape: [8, 2], scalars: (0..<16).map(Float.init)), y = Tensor(labels: (0..<8).map { $0 % 2 })
            do {
                try model.fit(x, y, epochs: 1, batchSize: 2, verbose: .silent,
                              callbacks: [try BackupAndRestore(backupDir: folder, saveFreq: .batches(2))],
                              distribution: .dataParallel(communicator: communicator))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        for message in messages {
            XCTAssertTrue(message.contains("BackupAndRestore(saveFreq: .batches(2)) cannot be used with data parallelism")
                && message.contains("use BackupAndRestore(saveFreq: .epoch)"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "nothing was trained or written")
    }

    func testWithoutALauncherTheWorldIsThisProcess() throws {
        let world = try Communicators.world(environment: ["PATH": "/usr/bin"])
        XCTAssertTrue(world is SingleProcessCommunicator)
        XCTAssertEqual(world.rank, 0)
        XCTAssertEqual(world.size, 1)
        XCTAssertEqual(try world.gather([1, 2], root: 0), [[1, 2]])
        XCTAssertThrowsError(try world.gather([1], root: 1))
    }

    func testALaunchOfSeveralRanksWithoutTheMPITraitIsRefused() throws {
        guard !Communicators.isMPIAvailable else { throw XCTSkip("this build has the MPI trait; the refusal is for builds without it") }
        XCTAssertThrowsError(try Communicators.world(environment: ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"])) { error in
            XCTAssertTrue("\(error)".contains("--traits MPI"), "\(error)")
        }
    }

    func testOneProcessDataParallelFitIsThePlainFit() throws {
        func train(_ distributed: Bool) throws -> ([Double], [Float]) {
            Kestrel.setRandomSeed(3)
            let x = try Tensor(shape: [40, 2], scalars: (0..<80).map { Float(($0 * 37) % 11) / 11 })
            let y = Tensor(labels: (0..<40).map { $0 % 2 })
            let model = try Sequential { Input(shape: [2]); Dense(4, activation: .relu); Dense(2, activation: .softmax) }
            try model.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy)
            let history = distributed
                ? try model.fit(x, y, epochs: 3, batchSize: 8, verbose: .silent, distribution: .dataParallel(communicator: SingleProcessCommunicator()))
                : try model.fit(x, y, epochs: 3, batchSize: 8, verbose: .silent)
            return (history["loss"] ?? [], model.weights.flatMap(\.value.scalars))
        }
        let (plainLoss, plainWeights) = try train(false)
        let (distributedLoss, distributedWeights) = try train(true)
        XCTAssertEqual(plainLoss.count, 3)
        XCTAssertEqual(distributedLoss, plainLoss)
        XCTAssertEqual(distributedWeights, plainWeights)
    }
}

/// A source that only reports how many batches it has (for the checks at the start of training).
struct NoBatches: BatchSource {
    let batchesPerPass: Int?
    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> { AnyIterator { nil } }
}

/// Consecutive rows 0, 1, 2… cut into batches of the given sizes (one feature per row).
struct FixedBatches: BatchSource {
    let sizes: [Int]
    var batchesPerPass: Int? { sizes.count }
    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> {
        var start = 0
        let batches = try sizes.map { size -> Batch in
            defer { start += size }
            return Batch(x: try Tensor(shape: [size, 1], scalars: (start..<(start + size)).map(Float.init)))
        }
        return AnyIterator(batches.makeIterator())
    }
}

/// The all-reduces overlapped with the backward pass against the same all-reduces after it: the same
/// bits, and bit-identical weights on every rank (ranks as threads; MPI's non-blocking path is
/// `MPIDataParallelTests.testOverlappedAllreduceTrainsBitForBitAsTheBlockingOne`).
final class OverlappedAllreduceTests: XCTestCase {
    /// 3 ranks, 18 rows in global batches of 8 (the last of 2 rows, so in each epoch's last step rank 0
    /// gets no row at all), buckets of 16 bytes (one variable each).
    private struct Trained: Sendable {
        let weights: [Float]
        let stepsOverlapped: Int
    }

    private func train(overlap: Bool, customStep: Bool = false) throws -> [Trained] {
        try InProcessGroup(size: 3).run { communicator -> Trained in
            let x = try Tensor(shape: [18, 3], scalars: (0..<54).map { Float(($0 * 29) % 13) / 13 - 0.4 })
            let y = Tensor(labels: (0..<18).map { $0 % 3 })
            let model: Sequential = customStep ? try HalvedGradientModel { Input(shape: [3]); Dense(5, activation: .tanh); Dense(3, activation: .softmax) }
                : try Sequential { Input(shape: [3]); Dense(5, activation: .tanh); Dense(3, activation: .softmax) }
            try model.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy)
            try model.setWeights(model.weights.enumerated().map { index, variable in
                try Tensor(shape: variable.shape, scalars: (0..<variable.value.count).map { Float(($0 * 7 + index) % 11) / 11 - 0.5 })
            })
            let parallel = DataParallel(communicator: communicator, bucketBytes: 16, overlapsBackward: overlap)
            model.distribution = parallel
            try model.fit(x, y, epochs: 3, batchSize: 8, verbose: .silent, shuffle: false)
            return Trained(weights: model.weights.flatMap(\.value.scalars), stepsOverlapped: parallel.averager.stepsOverlapped)
        }
    }

    func testOverlappedBucketsGiveTheBlockingPathsBitsOnEveryRank() throws {
        let blocking = try train(overlap: false), overlapped = try train(overlap: true)
        XCTAssertEqual(blocking[1].weights, blocking[0].weights)
        XCTAssertEqual(blocking[2].weights, blocking[0].weights)
        XCTAssertEqual(overlapped.map(\.weights), blocking.map(\.weights), "overlap must not change a single bit")
        // 3 epochs of 3 steps; rank 0 has no row in each epoch's last step, so it reduces after (the others during) backward.
        XCTAssertEqual(blocking.map(\.stepsOverlapped), [0, 0, 0])
        XCTAssertEqual(overlapped.map(\.stepsOverlapped), [6, 9, 9])
        XCTAssertNotEqual(blocking[0].weights, try train(overlap: false, customStep: true)[0].weights, "the weights depend on the gradients")
    }

    func testAStepThatChangesTheGradientsAfterBackwardIsReducedAgainNotOverlapped() throws {
        let blocking = try train(overlap: false, customStep: true), overlapped = try train(overlap: true, customStep: true)
        XCTAssertEqual(overlapped.map(\.weights), blocking.map(\.weights))
        XCTAssertEqual(overlapped[1].weights, overlapped[0].weights)
        XCTAssertEqual(overlapped.map(\.stepsOverlapped), [0, 0, 0], "the first step's reductions were discarded, then overlap stayed off")
    }

    func testTheBucketsRunFromTheLastVariableToTheFirstWithTheRowsInTheFirst() {
        XCTAssertEqual(GradientAverager.reversedBuckets(sizes: [3, 3, 3], bucketFloats: 6), [[2, 1], [0]])
        XCTAssertEqual(GradientAverager.reversedBuckets(sizes: [10, 2, 2], bucketFloats: 4), [[2, 1], [0]])
        XCTAssertEqual(GradientAverager.reversedBuckets(sizes: [], bucketFloats: 4), [[]])
        XCTAssertEqual(GradientAverager.floats(in: [2, 1], sizes: [10, 2, 2], carriesRows: true), 5)
    }
}

/// A custom training step that halves the gradients between the backward pass and `applyGradients`.
final class HalvedGradientModel: Sequential, @unchecked Sendable {
    override func trainStep(_ batch: Batch) throws -> [String: Double] {
        let variables = trainableWeights
        let (loss, gradients) = try valueWithGradients(for: variables) {
            try computeLoss(y: batch.targets[0], yPred: try self(batch.inputs[0], training: true))
        }
        try applyGradients(gradients.map { $0.scaled(by: 0.5) }, to: variables)
        lossTracker.update(value: Double(loss.scalar ?? .nan), weight: Double(batch.count))
        return metricsResult()
    }
}
