import Foundation
import Kestrel

/// Each rank's callbacks for a data-parallel `fit`, and the way a `BackupAndRestore` resumes on every
/// rank: rank 0 keeps every callback and alone writes the backup; the other ranks drop the callbacks
/// that print or write files, and in place of each `BackupAndRestore` get one over a private temporary
/// folder holding a copy of rank 0's backup files (sent by rank 0 before training, so the ranks need
/// no shared file system). Every rank therefore restores the same weights, optimizer state, random
/// generators, epoch and callback states (History, EarlyStopping…), and the copies never write a backup
/// of their own where they can avoid it.
final class DistributedBackups {
    /// The callbacks this rank passes to `fit`.
    let callbacks: [Callback]
    private let copies: [String]

    init(_ given: [Callback], communicator: any Communicator, resumableMidEpoch: Bool) throws {
        let backups = given.compactMap { $0 as? BackupAndRestore }
        try RankAgreement.check([.init("number of BackupAndRestore callbacks", String(backups.count))], over: communicator,
                                fix: "Every rank must pass the same callbacks.")
        for backup in backups {
            if case .batches(let count) = backup.saveFreq {
                throw KestrelError.invalidArgument("BackupAndRestore(saveFreq: .batches(\(count))) cannot be used with data parallelism: "
                    + "a backup taken part-way through an epoch would hold only rank 0's share of the epoch's loss and metric "
                    + "totals; use BackupAndRestore(saveFreq: .epoch).")
            }
        }
        var copies: [String] = []
        var replacements: [ObjectIdentifier: Callback] = [:]
        do {
            for backup in backups {
                let files = try Self.sendFiles(of: backup, communicator: communicator)
                guard !communicator.isRoot else { continue }
                let folder = NSTemporaryDirectory() + "kestrel-rank\(communicator.rank)-backup-\(UUID().uuidString)"
                copies.append(folder)
                replacements[ObjectIdentifier(backup)] = try Self.copy(of: backup, files: files, folder: folder,
                                                                        resumableMidEpoch: resumableMidEpoch)
            }
        } catch {
            for folder in copies { try? FileManager.default.removeItem(atPath: folder) }
            throw error
        }
        self.copies = copies
        callbacks = communicator.isRoot ? given : given.compactMap { callback in
            replacements[ObjectIdentifier(callback)] ?? (Model.writesFiles(callback) ? nil : callback)
        }
    }

    /// Deletes the copies' folders (once `fit` has returned or thrown).
    func removeCopies() {
        for folder in copies { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Rank 0's backup file and its previous one (empty where absent), on every rank.
    private static func sendFiles(of backup: BackupAndRestore, communicator: any Communicator) throws -> [[UInt8]] {
        try [backup.statePath, backup.previousStatePath].map { path in
            var bytes: [UInt8] = []
            if communicator.isRoot, FileManager.default.fileExists(atPath: path) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw KestrelError.fileError("\(path): the backup cannot be read; check its permissions.")
                }
                bytes = Array(data)
            }
            try communicator.broadcastBytes(&bytes, root: 0)
            return bytes
        }
    }

    /// A `BackupAndRestore` like `backup` over `folder`, which is given rank 0's files; it saves only
    /// when it cannot avoid it (`.epoch` for a source that cannot resume mid-epoch) and deletes its copy at the end.
    private static func copy(of backup: BackupAndRestore, files: [[UInt8]], folder: String,
                             resumableMidEpoch: Bool) throws -> BackupAndRestore {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let copy = try BackupAndRestore(backupDir: folder, saveFreq: resumableMidEpoch ? .batches(Int.max) : .epoch,
                                        doubleCheckpoint: backup.doubleCheckpoint, deleteCheckpoint: true, run: backup.run)
        for (path, bytes) in zip([copy.statePath, copy.previousStatePath], files) where !bytes.isEmpty {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return copy
    }
}
