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
    /// Replaces `bytes` on every rank with `root`'s (the lengths may differ: the others' are replaced).
    func broadcastBytes(_ bytes: inout [UInt8], root: Int) throws
    /// Starts replacing `buffer` on every rank with its element-wise sum over all ranks and returns
    /// without waiting (MPI_Iallreduce), so the caller can compute meanwhile; the buffer must not be
    /// touched until the returned reduction is waited for. Every rank must start the same reductions,
    /// of the same sizes, in the same order. The default sums at once (`allreduceSum`).
    func startAllreduceSum(_ buffer: ReductionBuffer) throws -> any PendingReduction
}

extension Communicator {
    /// Whether this process is rank 0, the one that prints and writes files.
    public var isRoot: Bool { rank == 0 }

    /// Sums `buffer` over the ranks at once with `allreduceSum` and returns a completed reduction.
    public func startAllreduceSum(_ buffer: ReductionBuffer) throws -> any PendingReduction {
        var values = buffer.values(0..<buffer.count)
        try allreduceSum(&values)
        try buffer.store(values, at: 0)
        return CompletedReduction()
    }

    /// Replaces `bytes` with `root`'s over `broadcast` of floats (the length first, then three bytes per
    /// float as an exact integer below 2²⁴, so no bit pattern depends on how floats are copied).
    public func broadcastBytes(_ bytes: inout [UInt8], root: Int) throws {
        var length = [Float(bytes.count % (1 << 24)), Float(bytes.count >> 24)]
        try broadcast(&length, root: root)
        let count = Int(length[0]) + Int(length[1]) << 24
        var packed = [Float](repeating: 0, count: (count + 2) / 3)
        if rank == root {
            for index in packed.indices {
                var value = 0
                for byte in 0..<3 where 3 * index + byte < count { value |= Int(bytes[3 * index + byte]) << (8 * byte) }
                packed[index] = Float(value)
            }
        }
        try broadcast(&packed, root: root)
        guard rank != root else { return }
        bytes = (0..<count).map { UInt8(truncatingIfNeeded: Int(packed[$0 / 3]) >> (8 * ($0 % 3))) }
    }
}
