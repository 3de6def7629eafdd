import Foundation
import XCTest
import Kestrel

/// Kills a training process (Tests/CrashResumeProgram) with SIGKILL mid-epoch and in the middle of a
/// backup write, runs it again, and checks that the rerun ends with exactly the History and weights
/// of an uninterrupted run and leaves no temporary or truncated file.
final class CrashResumeTests: XCTestCase {
    private var program: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("CrashResumeProgram")
    }

    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "kestrel-crash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs the program; returns its termination signal (0 when it exited normally with status 0).
    @discardableResult
    private func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { return process.terminationStatus }
        XCTAssertEqual(process.terminationStatus, 0, "CrashResumeProgram \(arguments) failed")
        return 0
    }

    private func temporaryFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(AtomicFile.temporarySuffix) }
    }

    func testSIGKILLMidEpochAndMidBackupWriteResumesIdentically() throws {
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            throw XCTSkip("CrashResumeProgram is not built next to the tests (swift build --build-tests builds it)")
        }
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try run([work + "/reference-backup", work + "/reference.txt"])
        let reference = try String(contentsOfFile: work + "/reference.txt", encoding: .utf8)
        XCTAssertTrue(reference.contains("\"val_loss\""))

        // 10 batches per epoch: 7 is mid-epoch 1, 23 mid-epoch 3; the write kills land in the backups after batches 12 and 36.
        let kills: [(String, Int)] = [("--kill-after-batches", 7), ("--kill-after-batches", 23),
                                      ("--kill-in-backup-write-after-batches", 10), ("--kill-in-backup-write-after-batches", 33)]
        for (option, batches) in kills {
            let backup = work + "/backup-\(batches)"
            let result = work + "/result-\(batches).txt"
            XCTAssertEqual(try run([backup, result, option, String(batches)]), SIGKILL, "\(option) \(batches)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: result))
            XCTAssertTrue(FileManager.default.fileExists(atPath: backup + "/training_state.json"), "a backup survives the kill")
            if option.contains("write") {
                XCTAssertFalse(temporaryFiles(in: backup).isEmpty, "the kill landed in the middle of a backup write")
            }
            try run([backup, result])
            XCTAssertEqual(try String(contentsOfFile: result, encoding: .utf8), reference, "rerun after \(option) \(batches)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: backup), "the finished run deletes its backup")
        }
        XCTAssertEqual(temporaryFiles(in: work), [])
    }
}
