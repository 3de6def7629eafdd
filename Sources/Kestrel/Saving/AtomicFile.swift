import Foundation

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
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw KestrelError.fileError("Cannot write '\(path)': \(error.localizedDescription). Check that the folder exists and is writable.")
        }
    }
}
