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
            let metric = try XCTUnwrap(model.metrics.first)
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
            try DataParallel(communicator: communicator).trainingWillBegin(model)
            return model.weights.flatMap(\.value.scalars)
        }
        XCTAssertEqual(weights[0], [0, 1, 2, 3, 4, 5, 0, 0, 0])
        XCTAssertEqual(weights[1], weights[0])

        let errors = try InProcessGroup(size: 2).run { communicator -> String in
            let model = try Sequential { Input(shape: [2]); Dense(communicator.rank == 0 ? 3 : 4) }
            do {
                try DataParallel(communicator: communicator).trainingWillBegin(model)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        for (rank, message) in errors.enumerated() {
            XCTAssertTrue(message.hasPrefix("rank \(rank): the ranks disagree on the model"), message)
        }
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
