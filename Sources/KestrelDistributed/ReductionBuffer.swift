/// Floats at a fixed address, for an all-reduce that runs while the caller goes on computing
/// (`Communicator.startAllreduceSum`): the communicator may read and write them until the reduction
/// is waited for, so the buffer must stay alive until then (the pending reduction holds it).
public final class ReductionBuffer: @unchecked Sendable {
    /// The number of floats.
    public let count: Int
    let base: UnsafeMutablePointer<Float>

    /// `count` zeros.
    public init(count: Int) {
        self.count = max(count, 0)
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }

    /// Stores `values[i] × factor` at `offset + i` (the products rounded as `Float` multiplication
    /// rounds them, the same on every path).
    public func store(_ values: [Float], at offset: Int, scaledBy factor: Float) throws {
        guard offset >= 0, offset <= count - values.count else {
            throw DistributedError(rank: 0, "ReductionBuffer: \(values.count) values at \(offset) do not fit in \(count).")
        }
        for (index, value) in values.enumerated() { base[offset + index] = value * factor }
    }

    /// Stores `values` at `offset` unchanged.
    public func store(_ values: [Float], at offset: Int) throws {
        guard offset >= 0, offset <= count - values.count else {
            throw DistributedError(rank: 0, "ReductionBuffer: \(values.count) values at \(offset) do not fit in \(count).")
        }
        for (index, value) in values.enumerated() { base[offset + index] = value }
    }

    /// The floats in `range` (clamped to the buffer).
    public func values(_ range: Range<Int>) -> [Float] {
        let clamped = range.clamped(to: 0..<count)
        return clamped.map { base[$0] }
    }
}
