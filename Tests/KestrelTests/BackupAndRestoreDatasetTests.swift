import Foundation
import XCTest
@testable import Kestrel

/// BackupAndRestore while fitting a `Dataset` (issue 12 item 5). A seeded dataset draws each pass's
/// order and augmentation from (seed, pass number), so a resumed `fit` that makes as many passes as the
/// interrupted run replays it exactly, part-way through an epoch too; an unseeded one cannot be
/// replayed, so `saveFreq: .batches` is refused when training begins.
final class BackupAndRestoreDatasetTests: XCTestCase {
    private struct Interrupted: Error {}

    /// Throws after batch `batch` of epoch `epoch` (nil: at the start of `epoch`), standing in for a crash.
    private final class Interrupter: Callback, @unchecked Sendable {
        let epoch: Int, batch: Int?
        private var current = 0
        init(epoch: Int, batch: Int?) { self.epoch = epoch; self.batch = batch }
        override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {
            current = epoch
            if epoch == self.epoch, batch == nil { throw Interrupted() }
        }
        override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
            if current == epoch, batch == self.batch { throw Interrupted() }
        }
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-dataset-backup-\(UUID().uuidString)").path
    }

    private struct Outcome: Equatable {
        let history: [String: [Double]]
        let epochs: [Int]
        let weights: [[Float]]
        let iterations: Int
    }

    /// One "program run": the same seed, model and data every time — 4×4 images reshuffled every pass
    /// and randomly flipped, both seeded — with a Dropout layer drawing from the model's generators.
    private func program(backupDir: String, saveFreq: BackupAndRestore.SaveFrequency, interruptAt: (Int, Int?)? = nil,
                         seeded: Bool = true) throws -> Outcome {
        Kestrel.setRandomSeed(8)
        var generator = RandomGenerator(seed: 3)
        let x = (0..<(40 * 16)).map { _ in generator.nextNormal() }
        let dataset = try Dataset(x: x, xShape: [40, 4, 4, 1], y: (0..<40).map { Float($0 % 2) }, yShape: [40])
            .shuffle(bufferSize: 40, seed: seeded ? 5 : nil).batch(8)
            .augmented(with: RandomFlipTransform(mode: .horizontal), seed: 9)
        let model = try Sequential {
            Input(shape: [4, 4, 1]); Flatten(); Dense(6, activation: .tanh); Dropout(0.2); Dense(2, activation: .softmax)
        }
        try model.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        var callbacks: [Callback] = [try BackupAndRestore(backupDir: backupDir, saveFreq: saveFreq)]
        if let (epoch, batch) = interruptAt { callbacks.append(Interrupter(epoch: epoch, batch: batch)) }
        let history = try model.fit(dataset, epochs: 5, verbose: 0, callbacks: callbacks)
        return Outcome(history: history.history.dictionary, epochs: history.epoch, weights: model.getWeights().map(\.scalars),
                       iterations: model.optimizer?.iterations ?? -1)
    }

    private func assertResumesIdentically(_ saveFreq: BackupAndRestore.SaveFrequency, interruptAt: (Int, Int?),
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try program(backupDir: folder(), saveFreq: saveFreq)
        let backup = folder()
        defer { try? FileManager.default.removeItem(atPath: backup) }
        XCTAssertThrowsError(try program(backupDir: backup, saveFreq: saveFreq, interruptAt: interruptAt), file: file, line: line)
        XCTAssertTrue(FileManager.default.fileExists(atPath: backup + "/training_state.json"), file: file, line: line)
        let resumed = try program(backupDir: backup, saveFreq: saveFreq)
        XCTAssertEqual(resumed.iterations, 25, "5 epochs × 5 batches in all", file: file, line: line)
        XCTAssertEqual(resumed, reference, file: file, line: line)
    }

    func testMidEpochResumeOfASeededReshuffledAugmentedDatasetGivesTheUninterruptedHistory() throws {
        // Backups every 3 batches; the crash after batch 3 of epoch 2 (the 14th) leaves the backup after the 12th.
        try assertResumesIdentically(.batches(3), interruptAt: (2, 3))
    }

    func testEpochResumeOfASeededReshuffledDatasetGivesTheUninterruptedHistory() throws {
        try assertResumesIdentically(.epoch, interruptAt: (3, nil))
    }

    func testAResumeWithoutCatchingUpOnPassesWouldDiffer() throws {
        // The reshuffle really depends on the pass number: epoch 0's and epoch 1's first batches differ.
        let dataset = try Dataset(x: (0..<40).map(Float.init), xShape: [40, 1], y: Array(repeating: 0, count: 40), yShape: [40])
            .shuffle(bufferSize: 40, seed: 5).batch(8)
        XCTAssertNotEqual(dataset.collect().first?.x, dataset.collect().first?.x)
        XCTAssertTrue(dataset.isReplayable)
    }

    func testBatchBackupsOfAnUnseededDatasetAreRefusedBeforeAnyStep() throws {
        let backup = folder()
        defer { try? FileManager.default.removeItem(atPath: backup) }
        XCTAssertFalse(try Dataset(x: [1, 2], xShape: [2, 1], y: [0, 1], yShape: [2]).shuffle(bufferSize: 2).isReplayable)
        XCTAssertThrowsError(try program(backupDir: backup, saveFreq: .batches(2), seeded: false)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("saveFreq: .batches(2)") && text.contains("seeded") && text.contains("saveFreq: .epoch"), text)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: backup + "/training_state.json"), "refused before any step or backup")
        // Epoch backups of the same unseeded dataset are allowed (they resume at the epoch boundary).
        XCTAssertEqual(try program(backupDir: backup, saveFreq: .epoch, seeded: false).iterations, 25)
    }

    /// A backup's `sourcePasses` is bounded by what its epoch could have made (one pass per epoch here,
    /// plus the shape probe): 999,999,999 passes under the old bound of 10⁹ made the resumed fit make and
    /// drop passes for hours; 100 passes resumed without a word (and with other shuffles). Both are now an
    /// error naming the backup file; the true count (4 after 3 epochs) still resumes identically.
    func testABackupClaimingMorePassesThanItsEpochsMadeIsRefusedNamingTheFile() throws {
        let reference = try program(backupDir: folder(), saveFreq: .epoch)
        let backup = folder()
        defer { try? FileManager.default.removeItem(atPath: backup) }
        XCTAssertThrowsError(try program(backupDir: backup, saveFreq: .epoch, interruptAt: (3, nil)))
        let path = backup + "/training_state.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let saved = try XCTUnwrap(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        XCTAssertEqual(saved["epoch"] as? Int, 3)
        XCTAssertEqual(saved["sourcePasses"] as? Int, 4, "the shape probe and three epochs")
        for passes in [100, 999_999_999] {
            var edited = saved
            edited["sourcePasses"] = passes
            try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try program(backupDir: backup, saveFreq: .epoch), "\(passes)") { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(path) && text.contains("\(passes) passes") && text.contains("Delete the folder"), text)
            }
        }
        try original.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try program(backupDir: backup, saveFreq: .epoch), reference)
    }
}
