#if MPI
import CMPI
import Foundation

/// An MPI_Iallreduce in flight on an `MPICommunicator`; holds its buffer until it is waited for.
/// `test` may be called from a progress thread while the training thread computes (each MPI call
/// is serialised by the communicator's lock, as MPI_THREAD_SERIALIZED requires).
final class MPIPendingReduction: PendingReduction, @unchecked Sendable {
    private let communicator: MPICommunicator
    private let lock = NSLock()
    private var started: MPICommunicator.StartedCollective
    private let buffer: ReductionBuffer
    private var completed = false

    init(communicator: MPICommunicator, started: MPICommunicator.StartedCollective, buffer: ReductionBuffer) {
        self.communicator = communicator
        self.started = started
        self.buffer = buffer
    }

    /// MPI_Test on the reduction (not its arrival notes, which `wait` collects).
    func test() throws -> Bool {
        try lock.withLock {
            if !completed { completed = try communicator.test(&started) }
            return completed
        }
    }

    /// Waits for the reduction and its arrival notes.
    func wait() throws {
        try lock.withLock {
            try communicator.complete(&started)
            completed = true
        }
    }
}
#endif
