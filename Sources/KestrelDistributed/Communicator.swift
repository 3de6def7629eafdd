/// The collective operations data-parallel training needs, over a group of processes ("ranks"):
/// Horovod's primitives. `SingleProcessCommunicator` is the group of one; `MPICommunicator` (with the
/// package's `MPI` trait) is Open MPI's world communicator under `mpirun`.
///
/// Every rank must call the same collectives in the same order; each one waits for all ranks, at most
/// for the communicator's timeout, and then throws a `DistributedError` naming the rank that is missing
/// when it can tell.
public protocol Communicator: AnyObject, Sendable {
    /// This process's index, 0 ..< `size`.
    var rank: Int { get }
    /// The number of processes in the group.
    var size: Int { get }
    /// Replaces `values` on every rank with `root`'s (counts must agree on all ranks).
    func broadcast(_ values: inout [Float], root: Int) throws
    /// Replaces `values` on every rank with their element-wise sum over all ranks.
    func allreduceSum(_ values: inout [Float]) throws
    /// Replaces `values` on every rank with their element-wise sum over all ranks.
    func allreduceSum(_ values: inout [Double]) throws
    /// Replaces `values` on every rank with their element-wise maximum over all ranks.
    func allreduceMax(_ values: inout [Double]) throws
    /// Returns once every rank has called it.
    func barrier() throws
    /// Collects every rank's bytes on `root` (in rank order); nil on the other ranks. For small results.
    func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]?
}

extension Communicator {
    /// Whether this process is rank 0, the one that prints and writes files.
    public var isRoot: Bool { rank == 0 }
}
