import Foundation
import KestrelTensor

/// Whole-file reads and atomic writes (temporary file in the same directory, then rename).
enum FileIO {
    static func readBytes(_ path: String) throws -> [UInt8] {
        // Before opening: a FIFO would block the open for ever, a device like /dev/zero never ends.
        guard case .regular(let size) = InputFile.kind(of: path) else {
            try InputFile.checkRegular(path, expected: "a data file")
            throw DataError("\(path): no such file")
        }
        // Read whole: refused up front when it cannot fit (a 50 GB "image.png" was read until memory ran out).
        try MemoryBudget.check(bytes: size, what: "\(path): reading this \(MemoryBudget.format(size)) file",
                               fix: "it is not a data file Kestrel can hold in memory; pass the right file")
        if RawFileName.isEscaped(path) { return try RawFileName.read(path) }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataError("\(path): cannot be read (\(error.localizedDescription))")
        }
    }

    /// Writes `bytes` through the package's one atomic writer (`AtomicFile`), creating the folder first.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try AtomicFile.write(bytes, to: path)
        } catch let error as KestrelError {
            throw DataError(error.message)
        } catch {
            throw DataError("\(path): cannot be written (\(error.localizedDescription)); check the directory exists and is writable")
        }
    }

    static func rename(_ source: String, to destination: String) throws {
        if Foundation.rename(source, destination) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: source)
            throw DataError("\(destination): rename from \(source) failed (\(String(cString: strerror(code))))")
        }
    }
}
