import Foundation
import XCTest
@testable import Kestrel

/// A backup records what its run was; another run (another seed, learning rate, batch size…) is refused
/// with the differences named instead of silently resuming it (issue 21).
final class BackupRunMismatchTests: XCTestCase {
    private func model() throws -> Sequential {
        let model = try Sequential { Input(shape: [2]); Dense(1) }
        try model.compile(optimizer: SGD(learningRate: 0.1), loss: try Loss.named("mse"))
        return model
    }

    private let x = try! Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 1, 2, 0])
    private let y = try! Tensor(shape: [4, 1], scalars: [1, 1, 2, 2])

    func testABackupOfAnotherRunIsRefusedNamingTheDifferences() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-backup-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = ["seed": "7", "learning_rate": "0.1", "batch_size": "2"]
        _ = try model().fit(x, y, epochs: 2, batchSize: 2, verbose: .silent,
                            callbacks: [try BackupAndRestore(backupDir: folder, deleteCheckpoint: false, run: first)])
        let saved = try String(contentsOfFile: folder + "/training_state.json", encoding: .utf8)
        XCTAssertTrue(saved.contains(#""run":{"batch_size":"2","learning_rate":"0.1","seed":"7"}"#), String(saved.prefix(300)))

        var second = first
        second["seed"] = "8"
        second["limit"] = "100"
        XCTAssertThrowsError(try model().fit(x, y, epochs: 3, batchSize: 2, verbose: .silent,
                                             callbacks: [try BackupAndRestore(backupDir: folder, deleteCheckpoint: false, run: second)])) { error in
            XCTAssertEqual("\(error)", "Callback BackupAndRestore failed in onTrainBegin: The backup in '\(folder)' was written by a different run (limit not recorded in the backup, 100 now; seed 7 in the backup, 8 now); resume it with the same settings, or delete '\(folder)' to start afresh.")
        }
        // The same run resumes (epochs 2 → 3: one more epoch in the history).
        let resumed = try model().fit(x, y, epochs: 3, batchSize: 2, verbose: .silent,
                                      callbacks: [try BackupAndRestore(backupDir: folder, deleteCheckpoint: false, run: first)])
        XCTAssertEqual(resumed.history["loss"]?.count, 3)
    }
}
