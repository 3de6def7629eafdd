/// The group of one process: every collective returns its input (Kestrel without `mpirun`).
public final class SingleProcessCommunicator: Communicator {
    /// Always 0.
    public var rank: Int { 0 }
    /// Always 1.
    public var size: Int { 1 }

    /// The group of this process alone.
    public init() {}

    /// Checks `root` (only 0 exists); the values stay.
    public func broadcast(_ values: inout [Float], root: Int) throws { try check(root: root) }
    /// The sum over one rank: the values stay.
    public func allreduceSum(_ values: inout [Float]) throws {}
    /// The sum over one rank: the values stay.
    public func allreduceSum(_ values: inout [Double]) throws {}
    /// The maximum over one rank: the values stay.
    public func allreduceMax(_ values: inout [Double]) throws {}
    /// Returns at once.
    public func barrier() throws {}
    /// Returns `[bytes]`: this process is the root.
    public func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]? {
        try check(root: root)
        return [bytes]
    }

    private func check(root: Int) throws {
        guard root == 0 else {
            throw DistributedError(rank: 0, "root \(root) does not exist in a single-process group (the only rank is 0).")
        }
    }
}
