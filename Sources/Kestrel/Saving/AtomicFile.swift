import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that readers never see a half-written file: a temporary file in the same
/// folder, then a rename over the target.
public enum AtomicFile {
    /// Writes `data` to `path` atomically; throws a `KestrelError.fileError` naming the path.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            // POSIX rename replaces the target atomically.
            guard rename(temporary.path, url.path) == 0 else {
                throw KestrelError.fileError(String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw KestrelError.fileError("Cannot write '\(path)': \(error.localizedDescription). Check that the folder exists and is writable.")
        }
    }
}
