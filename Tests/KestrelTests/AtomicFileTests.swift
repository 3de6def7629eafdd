import Foundation
import XCTest
@testable import Kestrel

/// A process killed between writing the temporary file and renaming it leaves `.name.<UUID>.tmp`;
/// the next write to the same folder removes such leftovers once they are stale.
final class AtomicFileTests: XCTestCase {
    func testStaleTemporaryFilesAreRemovedByTheNextWrite() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kestrel-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("history.json")
        let stale = AtomicFile.temporaryURL(for: target)        // as left by kill -9 mid-write
        let fresh = AtomicFile.temporaryURL(for: folder.appendingPathComponent("other.csv"))  // another writer, in flight
        let unrelated = folder.appendingPathComponent(".notes.tmp")
        for url in [stale, fresh, unrelated] { try Data("partial".utf8).write(to: url) }
        let old = Date().addingTimeInterval(-2 * AtomicFile.staleTemporaryAge)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: stale.path)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: unrelated.path)

        try AtomicFile.write(Data("{}".utf8), to: target.path)

        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        XCTAssertEqual(names, ["history.json", fresh.lastPathComponent, ".notes.tmp"])
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "{}")
    }

    func testTemporaryNamesAreRecognisedExactly() {
        XCTAssertTrue(AtomicFile.isTemporaryName(".history.json.\(UUID().uuidString).tmp"))
        XCTAssertFalse(AtomicFile.isTemporaryName("history.json.\(UUID().uuidString).tmp"))
        XCTAssertFalse(AtomicFile.isTemporaryName(".history.json.not-a-uuid-at-all-but-long-enough-xx.tmp"))
        XCTAssertFalse(AtomicFile.isTemporaryName(".x.tmp"))
    }

    func testHistoryWriteThroughAKilledProcessLeavesNoOrphanAfterTheNextWrite() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kestrel-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("history.json").path
        let orphan = folder.appendingPathComponent(".history.json.\(UUID().uuidString).tmp")
        try Data("{\"loss\": [0.".utf8).write(to: orphan)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: orphan.path)
        try History().save(to: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: orphan.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
    }
}
