import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that readers never see a half-written file: a temporary file in the same
/// folder, then a rename over the target.
///
/// A process killed between the two steps leaves its temporary file (`.<name>.<UUID>.tmp`); every
/// write removes such leftovers in its folder once they are older than `staleTemporaryAge`, so a
/// write still in flight in another process is never touched.
public enum AtomicFile {
    /// How old (by modification time) a temporary file must be before a later write removes it, in seconds.
    public static let staleTemporaryAge: TimeInterval = 60

    /// Writes `data` to `path` atomically; throws a `KestrelError.fileError` naming the path.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        removeStaleTemporaries(in: folder)
        let temporary = temporaryURL(for: url)
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

    /// The temporary file a write to `url` goes through first: `.<name>.<UUID>.tmp` in the same folder.
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    }

    /// Whether `fileName` has the form of `temporaryURL(for:)`: a dot, a name, a dot, a UUID, ".tmp".
    public static func isTemporaryName(_ fileName: String) -> Bool {
        guard fileName.hasPrefix("."), fileName.hasSuffix(".tmp") else { return false }
        let stem = fileName.dropLast(4)
        guard stem.count > 38 else { return false }
        let uuid = stem.suffix(36)
        return stem.dropLast(36).last == "." && UUID(uuidString: String(uuid)) != nil
    }

    /// Removes this writer's temporary files in `folder` that are older than `staleTemporaryAge` seconds
    /// (leftovers of a process killed mid-write). Failures are ignored: the write itself still goes ahead.
    public static func removeStaleTemporaries(in folder: URL, now: Date = Date()) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where isTemporaryName(name) {
            let path = folder.appendingPathComponent(name).path
            guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  now.timeIntervalSince(modified) >= staleTemporaryAge else { continue }
            try? manager.removeItem(atPath: path)
        }
    }
}
