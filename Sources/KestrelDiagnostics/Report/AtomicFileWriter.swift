import Foundation
import Kestrel

/// Writes a file so that readers never see it half-written: the bytes go to a temporary
/// file in the same directory, which is then renamed over the destination.
public enum AtomicFileWriter {
    /// Writes `data` to `url` atomically.
    /// - Throws: `ReportWriteError` naming the path when the directory is missing or not writable.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportWriteError(path: url.path, reason: "the directory \(directory.path) does not exist; create it first")
        }
        AtomicFile.removeStaleTemporaries(in: directory)
        let temporary = AtomicFile.temporaryURL(for: url)
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw ReportWriteError(path: url.path, reason: "cannot create a file in \(directory.path); check its permissions")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportWriteError(path: url.path, reason: "renaming the finished file failed (\(reason))")
        }
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
