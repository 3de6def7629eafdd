import Foundation

/// An exclusive `flock` on `<folder>/.kestrel.lock`, held while a command writes into the folder, so
/// two `kestrel fit` processes given the same `--output` cannot interleave their files. The kernel
/// drops the lock when the process ends, however it ends; the lock file itself stays (it is empty).
/// The shares of a sweep (`--shard`) hold it shared, so they write into one folder together while a
/// plain run into that folder is refused.
final class FolderLock {
    private let descriptor: Int32

    /// Takes the lock on `folder` (which must exist), exclusive or `shared`, or throws naming `option`
    /// when another process holds it in the other way (or exclusively).
    init(_ folder: URL, option: String, shared: Bool = false) throws {
        let path = folder.appendingPathComponent(".kestrel.lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(message: "Cannot create the lock file '\(path)' (\(String(cString: strerror(errno)))); pass another \(option).")
        }
        guard flock(descriptor, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another kestrel process is writing into it" : String(cString: strerror(errno))
            close(descriptor)
            throw CommandFailure(message: "\(option) '\(folder.path)' is in use: \(reason) (it holds \(path)). Wait for it to finish or pass another \(option).")
        }
    }

    deinit { close(descriptor) }
}
