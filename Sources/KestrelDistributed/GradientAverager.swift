import Foundation
import Kestrel
import KestrelTensor

/// A `GradientTransform` that averages every gradient over all ranks with an all-reduce, packing the
/// gradients into buckets of about `bucketBytes` (Horovod's tensor fusion: a few large messages instead
/// of one per weight).
///
/// Each rank's gradient is the mean over its own rows; the average is weighted by the rows each rank
/// trained on (`localRows`, set by `DataParallel` before every step), so a last batch cut unevenly still
/// gives the gradient of the mean over the whole global batch. The row counts travel in the last bucket.
public final class GradientAverager: GradientTransform, @unchecked Sendable {
    /// The group the gradients are averaged over.
    public let communicator: any Communicator
    /// The largest bucket, in bytes (at least one gradient per bucket).
    public let bucketBytes: Int
    private let lock = NSLock()
    private var rows = 1
    private var floatsReduced = 0
    private var reducing: Double = 0

    /// Averages over `communicator` in buckets of `bucketBytes` (default 64 MiB, Horovod's fusion threshold).
    public init(communicator: any Communicator, bucketBytes: Int = 64 << 20) {
        self.communicator = communicator
        self.bucketBytes = max(bucketBytes, 4)
    }

    /// The rows this rank trains on in the coming step.
    public var localRows: Int {
        get { lock.withLock { rows } }
        set { lock.withLock { rows = max(newValue, 0) } }
    }

    /// Floats all-reduced so far (gradients plus the row counts): for measuring bytes per step.
    public var floatsAllreduced: Int { lock.withLock { floatsReduced } }

    /// Wall-clock seconds spent inside the all-reduces so far (waiting for the other ranks included):
    /// the most that overlapping them with the backward pass could hide.
    public var secondsAllreducing: Double { lock.withLock { reducing } }

    /// Returns Σ_r rows_r · g_r / Σ_r rows_r for every gradient, the same on every rank.
    public func transform(_ gradients: [Tensor], variables: [Variable]) throws -> [Tensor] {
        let weight = Float(localRows)
        let buckets = Self.buckets(sizes: gradients.map(\.count), bucketFloats: max(bucketBytes / 4, 1))
        var averaged = [Tensor?](repeating: nil, count: gradients.count)
        for (bucketIndex, bucket) in buckets.enumerated() {
            let isLast = bucketIndex == buckets.count - 1
            var buffer: [Float] = []
            buffer.reserveCapacity(bucket.reduce(0) { $0 + gradients[$1].count } + 1)
            for index in bucket { buffer.append(contentsOf: gradients[index].scalars.map { $0 * weight }) }
            if isLast { buffer.append(weight) }
            let start = DispatchTime.now().uptimeNanoseconds
            try communicator.allreduceSum(&buffer)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            lock.withLock {
                floatsReduced += buffer.count
                reducing += seconds
            }
            let totalRows = isLast ? buffer[buffer.count - 1] : 0
            var offset = 0
            for index in bucket {
                let count = gradients[index].count
                averaged[index] = try Tensor(shape: gradients[index].shape, scalars: Array(buffer[offset..<(offset + count)]))
                offset += count
            }
            if isLast {
                guard totalRows > 0 else {
                    throw DistributedError(rank: communicator.rank, "no rank trained on any row of this batch.")
                }
                // Divide every bucket by the total rows, known once the last bucket (which carries them) is reduced.
                for (index, tensor) in averaged.enumerated() {
                    if let tensor { averaged[index] = tensor.scaled(by: 1 / totalRows) }
                }
            }
        }
        return try averaged.enumerated().map { index, tensor in
            guard let tensor else { throw DistributedError(rank: communicator.rank, "gradient \(index) was not reduced.") }
            return tensor
        }
    }

    /// Consecutive gradients grouped so that each group holds at most `bucketFloats` values (a single
    /// larger gradient makes a group of its own); always at least one group.
    static func buckets(sizes: [Int], bucketFloats: Int) -> [[Int]] {
        var groups: [[Int]] = [[]]
        var filled = 0
        for (index, size) in sizes.enumerated() {
            if !groups[groups.count - 1].isEmpty, filled + size > bucketFloats {
                groups.append([])
                filled = 0
            }
            groups[groups.count - 1].append(index)
            filled += size
        }
        return groups
    }
}
