import Foundation
import XCTest
import KestrelData
import KestrelTensor

/// The package's one atomic writer replaces files whole and leaves no temporary file behind.
final class AtomicFileTests: XCTestCase {
    func testWritesReplaceAndLeaveNoTemporaryFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.txt"
        try AtomicFile.write("first", to: path)
        try AtomicFile.write(Data(repeating: 7, count: 100_000), to: path)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(repeating: 7, count: 100_000))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["out.txt"])
    }

    func testMissingFolderAndUnwritableTargetAreClearErrors() throws {
        XCTAssertThrowsError(try AtomicFile.write("x", to: "/nonexistent-kestrel/a.txt")) { error in
            XCTAssertEqual("\(error)", "Cannot write '/nonexistent-kestrel/a.txt': the folder '/nonexistent-kestrel' does not exist; create it first.")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/target-is-a-folder/inner", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try AtomicFile.write("x", to: folder + "/target-is-a-folder")) { error in
            XCTAssertTrue("\(error)".contains("rename failed"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["target-is-a-folder"])
    }

    /// A kill -9 between writing and renaming leaves `.name.<tag>.kestrel-tmp` (earlier versions:
    /// `.name.<UUID>.tmp`); the next write to the folder removes those that are stale.
    func testStaleTemporaryFilesAreRemovedByTheNextWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stale = ".history.json.3k2j9x1.kestrel-tmp"
        let legacy = ".history.json.\(UUID().uuidString).tmp"
        let inFlight = ".other.csv.8fz0q.kestrel-tmp"  // another writer, still writing: recent
        let unrelated = ".notes.tmp"
        for name in [stale, legacy, inFlight, unrelated] { try AtomicFile.write("partial", to: folder + "/" + name) }
        let old = Date().addingTimeInterval(-2 * AtomicFile.staleTemporaryAge)
        for name in [stale, legacy, unrelated] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder + "/" + name)
        }
        try AtomicFile.write("{}", to: folder + "/history.json")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder)), ["history.json", inFlight, unrelated])
    }

    func testTemporaryNamesAreRecognisedExactly() {
        XCTAssertTrue(AtomicFile.isTemporaryName(".history.json.\(UUID().uuidString).tmp"))
        XCTAssertTrue(AtomicFile.isTemporaryName(".history.json.abc123.kestrel-tmp"))
        XCTAssertFalse(AtomicFile.isTemporaryName("history.json.\(UUID().uuidString).tmp"))
        XCTAssertFalse(AtomicFile.isTemporaryName(".history.json.not-a-uuid-at-all-but-long-enough-xx.tmp"))
        XCTAssertFalse(AtomicFile.isTemporaryName(".x.tmp"))
    }
}
