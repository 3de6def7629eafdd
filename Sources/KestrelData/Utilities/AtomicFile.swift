import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KestrelTensor

/// The one atomic file writer of the whole package: every file Kestrel writes (models, weights,
/// checkpoints, backups, histories, reports, images, `.npy` arrays) goes through it.
///
/// The bytes go to a temporary file in the destination's folder (`.<name>.<random>.kestrel-tmp`),
/// are flushed to disk with `fsync`, and the temporary file is renamed over the destination; the
/// folder is then synced so the rename itself survives a power cut. A process killed at any instant
/// leaves either the old file or the new one, never a truncated one. Its temporary file stays behind
/// then; every later write removes such leftovers in its folder once they are older than
/// `staleTemporaryAge`, so a write still in flight in another process is never touched.
public enum AtomicFile {
    /// The suffix every temporary file of this writer ends with.
    public static let temporarySuffix = ".kestrel-tmp"
    /// How old (by modification time) a temporary file must be before a later write removes it, in seconds.
    public static let staleTemporaryAge: TimeInterval = 60

    /// Writes `data` to `path` atomically; throws a `KestrelError.fileError` naming the path.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw KestrelError.fileError("Cannot write '\(path)': the folder '\(folder)' does not exist; create it first.")
        }
        removeStaleTemporaries(in: folder)
        let temporary = folder + "/." + url.lastPathComponent + "." + randomTag() + temporarySuffix
        do {
            try failIfNoSpaceInjected(url.lastPathComponent)
            try writeAndSync(data, to: temporary)
            killIfFaultInjected()
            guard rename(temporary, url.path) == 0 else { throw systemError("rename") }
            syncFolder(folder)
        } catch {
            unlink(temporary)
            let reason = (error as? KestrelError)?.message ?? error.localizedDescription
            throw KestrelError.fileError("Cannot write '\(path)': \(reason). Check that the folder is writable and the disk has space.")
        }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(Data(bytes), to: path)
    }

    /// Writes `data` to `url` (a file URL) atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(data, to: url.path)
    }

    /// Whether `fileName` is a temporary file of this writer (`.<name>.<tag>.kestrel-tmp`) or of earlier
    /// Kestrel versions (`.<name>.<UUID>.tmp`).
    public static func isTemporaryName(_ fileName: String) -> Bool {
        guard fileName.hasPrefix(".") else { return false }
        if fileName.hasSuffix(temporarySuffix) { return fileName.count > temporarySuffix.count + 2 }
        guard fileName.hasSuffix(".tmp") else { return false }
        let stem = fileName.dropLast(4)
        return stem.count > 38 && stem.dropLast(36).last == "." && UUID(uuidString: String(stem.suffix(36))) != nil
    }

    /// Removes this writer's temporary files in `folder` older than `staleTemporaryAge` seconds (leftovers
    /// of a process killed mid-write). Failures are ignored: the write itself still goes ahead.
    public static func removeStaleTemporaries(in folder: String, now: Date = Date()) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return }
        for name in names where isTemporaryName(name) {
            let path = folder + "/" + name
            guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  now.timeIntervalSince(modified) >= staleTemporaryAge else { continue }
            unlink(path)
        }
    }

    private static func writeAndSync(_ data: Data, to temporary: String) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw systemError("create a temporary file") }
        defer { close(descriptor) }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw systemError("write")
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw systemError("flush to disk") }
    }

    /// The environment variable of the crash-safety test (Tests/CrashResumeProgram): set to "1", the
    /// process kills itself with SIGKILL after a temporary file is written and flushed and before it is
    /// renamed — the instant at which a crash must leave the old file whole and only a temporary behind.
    public static let faultInjectionVariable = "KESTREL_FAULT_KILL_BEFORE_RENAME"

    private static func killIfFaultInjected() {
        guard let value = getenv(faultInjectionVariable), String(cString: value) == "1" else { return }
        kill(getpid(), SIGKILL)
    }

    /// The environment variable of the full-disk tests: a comma-separated list of file names (last path
    /// components) whose writes fail as on a full disk (ENOSPC), before anything is written.
    public static let noSpaceFaultVariable = "KESTREL_FAULT_NO_SPACE_FOR"

    private static func failIfNoSpaceInjected(_ fileName: String) throws {
        guard let value = getenv(noSpaceFaultVariable) else { return }
        guard String(cString: value).split(separator: ",").contains(where: { $0 == fileName }) else { return }
        errno = ENOSPC
        throw systemError("write")
    }

    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func randomTag() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    private static func systemError(_ step: String) -> KestrelError {
        KestrelError.fileError("\(step) failed (\(String(cString: strerror(errno))))")
    }
}
