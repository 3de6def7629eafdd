/// An all-reduce started by `Communicator.startAllreduceSum` and not yet waited for.
public protocol PendingReduction: AnyObject, Sendable {
    /// Lets the communicator move the reduction on (MPI_Test: Open MPI progresses non-blocking
    /// collectives only inside MPI calls) and returns whether it has completed.
    func test() throws -> Bool
    /// Returns once the buffer holds the sum over all ranks (at most the communicator's timeout, then
    /// it throws naming the missing ranks as the blocking collectives do).
    func wait() throws
}
