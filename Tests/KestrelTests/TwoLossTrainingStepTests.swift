import Foundation
import XCTest
@testable import Kestrel

/// A custom `trainStep` that computes two losses and returns both (as a GAN's generator and
/// discriminator losses): every key it returns reaches History, the callbacks' logs and the progress
/// line, and `val_` keys come from `testStep`.
final class TwoLossTrainingStepTests: XCTestCase {
    /// A two-column output: column 0 is fitted to y's column 0 (squared error), column 1 to y's column 1 (absolute error).
    final class TwoLossModel: Sequential, @unchecked Sendable {
        /// The two losses each training step computed, in order.
        var stepLosses: [(first: Double, second: Double)] = []

        func losses(_ batch: Batch, training: Bool) throws -> (Tensor, Tensor) {
            let output = try self(batch.x, training: training)
            let y = try XCTUnwrap(batch.y)
            let first = try (output.slice(axis: 1, range: 0..<1) - y.slice(axis: 1, range: 0..<1)).squared().mean()
            let second = try (output.slice(axis: 1, range: 1..<2) - y.slice(axis: 1, range: 1..<2)).abs().mean()
            return (first, second)
        }

        override func trainStep(_ batch: Batch) throws -> [String: Double] {
            var parts: (Tensor, Tensor)?
            let variables = trainableWeights
            let (_, gradients) = try valueWithGradients(for: variables) {
                let computed = try self.losses(batch, training: true)
                parts = computed
                return try computed.0 + computed.1
            }
            try applyGradients(gradients, to: variables)
            let first = Double(parts!.0.scalar!), second = Double(parts!.1.scalar!)
            stepLosses.append((first, second))
            return ["first_loss": first, "second_loss": second]
        }

        override func testStep(_ batch: Batch) throws -> [String: Double] {
            let (first, second) = try losses(batch, training: false)
            return ["first_loss": Double(first.scalar!), "second_loss": Double(second.scalar!)]
        }
    }

    /// Records the logs the batch-end hooks see.
    final class LogRecorder: Callback, @unchecked Sendable {
        var batchKeys: [Set<String>] = []
        override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws { batchKeys.append(Set(logs.keys)) }
    }

    private func data() throws -> (Tensor, Tensor) {
        let x = try Tensor(shape: [8, 2], scalars: (0..<16).map { Float($0 % 5) / 4 - 0.5 })
        let y = try Tensor(shape: [8, 2], scalars: (0..<16).map { Float($0 % 3) / 2 })
        return (x, y)
    }

    private func model() throws -> TwoLossModel {
        Kestrel.setRandomSeed(7)
        let model = try TwoLossModel {
            Input(shape: [2])
            Dense(2)
        }
        try model.compile(optimizer: .sgd(learningRate: 0.1), loss: .meanSquaredError)
        return model
    }

    func testBothLossesReachHistoryAndTheCallbacksWithTheStepsValues() throws {
        let model = try model()
        let (x, y) = try data()
        let recorder = LogRecorder()
        let history = try model.fit(x, y, epochs: 3, batchSize: 4, verbose: .silent, validationData: (x, y), callbacks: [recorder],
                                    shuffle: false)
        XCTAssertEqual(model.stepLosses.count, 6, "8 samples in batches of 4, three epochs")
        // As Keras, an epoch logs what its last step returned: steps 2, 4 and 6.
        XCTAssertEqual(history["first_loss"], [1, 3, 5].map { model.stepLosses[$0].first })
        XCTAssertEqual(history["second_loss"], [1, 3, 5].map { model.stepLosses[$0].second })
        XCTAssertEqual(Set(history.keys), ["first_loss", "second_loss", "val_first_loss", "val_second_loss"])
        XCTAssertNil(history["loss"], "the custom step returns no 'loss'")
        XCTAssertEqual(recorder.batchKeys, Array(repeating: ["first_loss", "second_loss"], count: 6))
        // The validation values are what the last testStep returned: on the second batch of 4 after the last epoch.
        let (first, second) = try model.losses(Batch(x: try x.slice(rows: 4..<8), y: try y.slice(rows: 4..<8)), training: false)
        XCTAssertEqual(try XCTUnwrap(history["val_first_loss"]?.last), Double(first.scalar!), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(history["val_second_loss"]?.last), Double(second.scalar!), accuracy: 1e-12)
        XCTAssertLessThan(model.stepLosses[4].first + model.stepLosses[4].second,
                          model.stepLosses[0].first + model.stepLosses[0].second, "the summed loss on the first batch went down")
    }

    func testBothLossesAppearInTheProgressLine() throws {
        let model = try model()
        let (x, y) = try data()
        let printed = try capturingStandardOutput {
            _ = try model.fit(x, y, epochs: 1, batchSize: 4, verbose: .oneLinePerEpoch)
        }
        let last = try XCTUnwrap(model.stepLosses.last)
        XCTAssertTrue(printed.contains("Epoch 1/1"), printed)
        XCTAssertTrue(printed.contains(" - first_loss: \(ProgressFormatting.value(last.first)) - second_loss: \(ProgressFormatting.value(last.second))"), printed)
    }

    /// What `body` writes to the standard output (file descriptor 1).
    private func capturingStandardOutput(_ body: () throws -> Void) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-progress-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        fflush(nil)
        let saved = dup(1)
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(file, 0)
        dup2(file, 1)
        close(file)
        defer {
            fflush(nil)
            dup2(saved, 1)
            close(saved)
        }
        try body()
        fflush(nil)
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
