/// A failure of the process group: a rank that died or hangs, disagreeing ranks, an MPI error, or a
/// launch that cannot work (under `mpirun` without the `MPI` trait).
public struct DistributedError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The rank that reported the failure.
    public let rank: Int
    /// What went wrong and, where known, the fix.
    public let message: String

    /// A failure seen by `rank`.
    public init(rank: Int, _ message: String) {
        self.rank = rank
        self.message = message
    }

    /// "rank R: message".
    public var description: String { "rank \(rank): \(message)" }
}
