import Foundation

/// An exclusive `flock` on a lock file, held while this process trains one run of a sweep (or
/// writes its manifest). The kernel drops it when the process ends, however it ends, so a run whose
/// process died is free to be trained again. The lock file itself stays (it is empty).
final class RunClaim {
    /// Another process holds the lock (only without `wait`).
    enum Held: Error { case held }

    private let descriptor: Int32

    /// Takes the lock on `file`: waits for it with `wait`, else throws `Held.held` when it is taken.
    init(_ file: URL, wait: Bool) throws {
        descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(message: "Cannot create the lock file '\(file.path)' (\(String(cString: strerror(errno)))); pass another --output.")
        }
        var result: Int32
        repeat {
            result = flock(descriptor, LOCK_EX | (wait ? 0 : LOCK_NB))
        } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { throw Held.held }
            throw CommandFailure(message: "Cannot lock '\(file.path)' (\(String(cString: strerror(code)))); pass another --output.")
        }
    }

    deinit { close(descriptor) }
}
