import Foundation
import XCTest
@testable import Kestrel

/// BackupAndRestore resumes a run interrupted at any epoch or batch so that History and weights end
/// identical to an uninterrupted run; callbacks may throw and may move the first epoch.
final class BackupAndRestoreTests: XCTestCase {
    private struct Interrupted: Error {}

    /// Throws at the given (epoch, batch) to stand in for a crash.
    private final class Interrupter: Callback, @unchecked Sendable {
        let epoch: Int, batch: Int?
        private var current = 0
        init(epoch: Int, batch: Int?) { self.epoch = epoch; self.batch = batch }
        override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws { current = epoch }
        override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
            if current == epoch, batch == self.batch { throw Interrupted() }
        }
        override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
            if epoch == self.epoch, batch == nil { throw Interrupted() }
        }
    }

    private struct Outcome: Equatable {
        let epochs: [Int]
        let history: [String: [Double]]
        let weights: [[Float]]
    }

    private func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-backup-\(UUID().uuidString)").path
    }

    /// One "program run": same seed, same model, data and callbacks; optionally interrupted.
    private func program(backupDir: String, saveFreq: BackupAndRestore.SaveFrequency, interruptAt: (Int, Int?)?,
                         epochs: Int = 6) throws -> Outcome {
        Kestrel.setRandomSeed(21)
        var generator = RandomGenerator(seed: 5)
        let x = try Tensor(shape: [90, 4], scalars: (0..<360).map { _ in generator.nextNormal() })
        let y = Tensor(labels: (0..<90).map { $0 % 3 })
        let model = try Sequential {
            Input(shape: [4])
            Dense(12, activation: .relu)
            Dropout(0.3)
            Dense(3, activation: .softmax)
        }
        try model.compile(optimizer: .adam(learningRate: 0.02), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        var callbacks: [Callback] = [
            try BackupAndRestore(backupDir: backupDir, saveFreq: saveFreq),
            EarlyStopping(monitor: "val_loss", patience: 10, restoreBestWeights: true),
            try ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, cooldown: 1),
        ]
        if let (epoch, batch) = interruptAt { callbacks.append(Interrupter(epoch: epoch, batch: batch)) }
        let history = try model.fit(x, y, epochs: epochs, batchSize: 16, verbose: 0, validationSplit: 0.2, callbacks: callbacks)
        return Outcome(epochs: history.epoch, history: history.history.dictionary, weights: model.getWeights().map(\.scalars))
    }

    private func assertResumesIdentically(saveFreq: BackupAndRestore.SaveFrequency, interruptAt: (Int, Int?),
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try program(backupDir: temporaryFolder(), saveFreq: saveFreq, interruptAt: nil)
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try program(backupDir: folder, saveFreq: saveFreq, interruptAt: interruptAt), file: file, line: line) { error in
            XCTAssertTrue("\(error)".hasPrefix("Callback Interrupter failed in on"), "\(error)", file: file, line: line)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/training_state.json"), file: file, line: line)
        let resumed = try program(backupDir: folder, saveFreq: saveFreq, interruptAt: nil)
        XCTAssertEqual(resumed, reference, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "deleteCheckpoint removes the backup", file: file, line: line)
    }

    func testResumeAfterAnEpochGivesTheUninterruptedHistoryAndWeights() throws {
        try assertResumesIdentically(saveFreq: .epoch, interruptAt: (3, nil))
    }

    func testResumeMidEpochFromBatchBackups() throws {
        try assertResumesIdentically(saveFreq: .batches(2), interruptAt: (2, 2))
        try assertResumesIdentically(saveFreq: .batches(1), interruptAt: (4, 3))
    }

    func testAnUninterruptedRunDiffersWithoutTheBackup() throws {
        // The check above is meaningful: a run restarted from scratch (no backup) after 3 epochs of
        // training would not match, because Dropout and shuffling drew different numbers.
        let reference = try program(backupDir: temporaryFolder(), saveFreq: .epoch, interruptAt: nil)
        let shorter = try program(backupDir: temporaryFolder(), saveFreq: .epoch, interruptAt: nil, epochs: 3)
        XCTAssertEqual(Array(reference.history["loss"]!.prefix(3)), shorter.history["loss"]!)
        XCTAssertNotEqual(reference.weights, shorter.weights)
    }

    func testADamagedBackupIsAClearError() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("{\"format\": 3".utf8).write(to: URL(fileURLWithPath: folder + "/training_state.json"))
        XCTAssertThrowsError(try program(backupDir: folder, saveFreq: .epoch, interruptAt: nil)) { error in
            XCTAssertTrue("\(error)".contains("training_state.json: not a readable Kestrel training backup"), "\(error)")
        }
    }

    /// A backup whose counters were edited: a huge `batchesDone` made the resumed fit skip batches for ever
    /// (the skipping loop ignored the end of the epoch); out-of-range counters are refused when read.
    func testABackupWithCountersBeyondTheRunIsAnErrorNotAHang() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try program(backupDir: folder, saveFreq: .batches(1), interruptAt: (2, 2)))
        let path = folder + "/training_state.json"
        let saved = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        XCTAssertEqual(saved["batchesDone"] as? Int, 2)
        for (key, value, expected) in [("batchesDone", 1_000_000_000_000, "the epoch has only 5"), ("batchesDone", -1, "out of range"),
                                       ("epoch", -3, "out of range"), ("sourcePasses", Int.max, "out of range")] {
            var edited = saved
            edited[key] = value
            try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try program(backupDir: folder, saveFreq: .batches(1), interruptAt: nil), "\(key)") { error in
                XCTAssertTrue("\(error)".contains(expected), "\(key): \(error)")
            }
        }
    }

    func testACallbackErrorNamesTheCallbackAndHook() throws {
        let model = try Sequential { Input(shape: [2]); Dense(1) }
        try model.compile(optimizer: .sgd(), loss: .meanSquaredError)
        let failing = LambdaCallback(onEpochEnd: { _, _ in })
        final class Failing: Callback, @unchecked Sendable {
            override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {
                throw KestrelError.invalidState("disk full")
            }
        }
        XCTAssertThrowsError(try model.fit(try Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), Tensor([1, 2, 3, 4]),
                                           epochs: 2, verbose: 0, callbacks: [failing, Failing()])) { error in
            XCTAssertEqual("\(error)", "Callback Failing failed in onEpochBegin: disk full")
            XCTAssertEqual((error as? CallbackError)?.underlying as? KestrelError, .invalidState("disk full"))
        }
    }

    func testOnTrainBeginMayMoveTheFirstEpoch() throws {
        final class StartAtThree: Callback, @unchecked Sendable {
            override func onTrainBegin(logs: inout [String: Double]) throws { model?.trainingSession?.initialEpoch = 3 }
        }
        let model = try Sequential { Input(shape: [2]); Dense(1) }
        try model.compile(optimizer: .sgd(), loss: .meanSquaredError)
        let history = try model.fit(try Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), Tensor([1, 2, 3, 4]),
                                    epochs: 5, verbose: 0, callbacks: [StartAtThree()])
        XCTAssertEqual(history.epoch, [3, 4])
    }

    func testCallbackStatesRoundTripThroughJSON() throws {
        let stopping = EarlyStopping(patience: 2)
        try stopping.restoreState(["wait": .int(1), "stoppedEpoch": .int(0), "bestEpoch": .int(4), "best": .number(0.123456789012345), "bestWeights": .null])
        let state = try stopping.stateDictionary()
        let decoded = try JSONDecoder().decode([String: StateValue].self, from: try JSONEncoder().encode(state))
        XCTAssertEqual(decoded["best"]?.doubleValue, 0.123456789012345)
        XCTAssertEqual(decoded["bestEpoch"]?.intValue, 4)
        let plateau = try ReduceLROnPlateau()
        var logs: [String: Double] = [:]
        plateau.onTrainBegin(logs: &logs)
        // Before the first value there is no best (Keras's None); an infinite best survives JSON.
        let fresh = try JSONDecoder().decode([String: StateValue].self, from: try JSONEncoder().encode(try plateau.stateDictionary()))
        XCTAssertEqual(fresh["best"], .null)
        try plateau.restoreState(["best": .number(.infinity), "wait": .int(0), "cooldownCounter": .int(0)])
        let infinite = try JSONDecoder().decode([String: StateValue].self, from: try JSONEncoder().encode(try plateau.stateDictionary()))
        XCTAssertEqual(infinite["best"]?.doubleValue, .infinity)
        XCTAssertThrowsError(try plateau.restoreState(["best": .string("x"), "wait": .int(0), "cooldownCounter": .int(0)])) { error in
            XCTAssertTrue("\(error)".contains("'best' is not a number"), "\(error)")
        }
    }
}
