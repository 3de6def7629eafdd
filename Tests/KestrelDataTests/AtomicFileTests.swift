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
}
