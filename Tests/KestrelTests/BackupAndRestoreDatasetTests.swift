import Foundation
import XCTest
@testable import Kestrel

/// BackupAndRestore while fitting a `Dataset` (issue 12 item 5): a Dataset cannot replay part of an
/// epoch in a new process (its shuffles count their passes, augmenting maps advance their generators),
/// so `saveFreq: .batches` is refused when training begins, and `saveFreq: .epoch` resumes at the first
/// unfinished epoch.
final class BackupAndRestoreDatasetTests: XCTestCase {
    private struct Interrupted: Error {}

    /// Throws at the start of `epoch`, after the backup of the epoch before it was written.
    private final class StopBefore: Callback, @unchecked Sendable {
        let epoch: Int
        init(epoch: Int) { self.epoch = epoch }
        override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {
            if epoch == self.epoch { throw Interrupted() }
        }
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-dataset-backup-\(UUID().uuidString)").path
    }

    /// One "program run" on a batched (unshuffled) Dataset with the same seed every time.
    private func program(backupDir: String, saveFreq: BackupAndRestore.SaveFrequency, stopBefore: Int? = nil)
        throws -> (history: [String: [Double]], epochs: [Int], weights: [[Float]], model: Model) {
        Kestrel.setRandomSeed(8)
        var generator = RandomGenerator(seed: 3)
        let x = (0..<(40 * 5)).map { _ in generator.nextNormal() }
        let dataset = try Dataset(x: x, xShape: [40, 5], y: (0..<40).map { Float($0 % 2) }, yShape: [40]).batch(8)
        let model = try Sequential { Input(shape: [5]); Dense(6, activation: .tanh); Dense(2, activation: .softmax) }
        try model.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        var callbacks: [Callback] = [try BackupAndRestore(backupDir: backupDir, saveFreq: saveFreq)]
        if let stopBefore { callbacks.append(StopBefore(epoch: stopBefore)) }
        let history = try model.fit(dataset, epochs: 5, verbose: 0, callbacks: callbacks)
        return (history.history, history.epoch, model.getWeights().map(\.scalars), model)
    }

    func testBatchBackupsOfADatasetFitAreRefusedBeforeAnyStep() throws {
        let backup = folder()
        defer { try? FileManager.default.removeItem(atPath: backup) }
        Kestrel.setRandomSeed(8)
        let dataset = try Dataset(x: Array(repeating: 0.5, count: 20), xShape: [4, 5], y: [0, 1, 0, 1], yShape: [4]).batch(2)
        let model = try Sequential { Input(shape: [5]); Dense(2, activation: .softmax) }
        try model.compile(optimizer: .sgd(learningRate: 0.1), loss: .sparseCategoricalCrossentropy)
        let before = model.getWeights().map(\.scalars)
        XCTAssertThrowsError(try model.fit(dataset, epochs: 2, verbose: 0,
                                           callbacks: [try BackupAndRestore(backupDir: backup, saveFreq: .batches(1))])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("saveFreq: .batches(1)") && text.contains("Dataset") && text.contains("saveFreq: .epoch"), text)
        }
        XCTAssertEqual(model.optimizer?.iterations, 0, "refused before the first training step")
        XCTAssertEqual(model.getWeights().map(\.scalars), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: backup + "/training_state.json"))
    }

    func testEpochBackupsOfADatasetFitResumeAtTheEpochBoundary() throws {
        let reference = try program(backupDir: folder(), saveFreq: .epoch)
        let backup = folder()
        defer { try? FileManager.default.removeItem(atPath: backup) }
        XCTAssertThrowsError(try program(backupDir: backup, saveFreq: .epoch, stopBefore: 3))
        XCTAssertTrue(FileManager.default.fileExists(atPath: backup + "/training_state.json"), "epochs 1–3 were backed up")
        let resumed = try program(backupDir: backup, saveFreq: .epoch)
        XCTAssertEqual(resumed.model.optimizer?.iterations, 25, "5 epochs of 5 batches in all: the resumed run trained only epochs 4 and 5")
        XCTAssertEqual(resumed.epochs, reference.epochs)
        XCTAssertEqual(resumed.history, reference.history, "an unshuffled Dataset replays whole epochs exactly")
        XCTAssertEqual(resumed.weights, reference.weights)
    }
}
