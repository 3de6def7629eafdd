import Foundation
import Kestrel
import KestrelTensor

/// A `GradientTransform` that averages every gradient over all ranks with all-reduces, packing the
/// gradients into buckets of about `bucketBytes` (Horovod's tensor fusion: a few large messages instead
/// of one per weight).
///
/// The buckets hold the variables from the last to the first (PyTorch DDP's order: the order in which
/// the backward pass makes their gradients final). With `overlapsBackward`, `DataParallel` installs the
/// averager as the backward pass's `GradientReadyObserver`: each bucket's all-reduce starts
/// (MPI_Iallreduce) as soon as its last gradient is final, in bucket order, while the backward pass
/// goes on with the earlier layers, and `transform` then only waits for them. Either way every bucket
/// is packed, reduced and unpacked the same way, so both paths give the same bits.
///
/// Each rank's gradient is the mean over its own rows; the average is weighted by the rows each rank
/// trained on (`localRows`, set by `DataParallel` before every step), so a last batch cut unevenly still
/// gives the gradient of the mean over the whole global batch. The row counts travel in the first bucket.
public final class GradientAverager: GradientTransform, GradientReadyObserver, @unchecked Sendable {
    /// The group the gradients are averaged over.
    public let communicator: any Communicator
    /// The largest bucket, in bytes (at least one gradient per bucket).
    public let bucketBytes: Int
    /// Whether buckets are all-reduced during the backward pass (see the type's description).
    public let overlapsBackward: Bool
    /// With overlap: when positive, a thread lets the reductions in flight progress (MPI_Test) every
    /// this many microseconds while the backward pass computes; when 0 they progress only at each
    /// gradient report (default: `KESTREL_OVERLAP_PROGRESS_US`, else 200: Open MPI moves a non-blocking
    /// collective on only inside MPI calls, and the reports alone measured no faster than no overlap).
    public let progressMicroseconds: Int
    private let lock = NSLock()
    private var rows = 1
    private var floatsReduced = 0
    private var reducing: Double = 0
    private var step: OverlappedStep?
    private var overlapped = 0
    private var overlapRefused = false

    /// Averages over `communicator` in buckets of `bucketBytes` (default 25 MiB, PyTorch DDP's bucket
    /// size), overlapping the all-reduces with the backward pass unless `overlapsBackward` is false
    /// (default: `KESTREL_OVERLAP_ALLREDUCE`, `0` turns it off; see Docs/DataParallel.md for the measurements).
    public init(communicator: any Communicator, bucketBytes: Int = 25 << 20, overlapsBackward: Bool? = nil) {
        self.communicator = communicator
        self.bucketBytes = max(bucketBytes, 4)
        let environment = ProcessInfo.processInfo.environment
        self.overlapsBackward = overlapsBackward ?? (environment["KESTREL_OVERLAP_ALLREDUCE"] != "0")
        progressMicroseconds = min(max(environment["KESTREL_OVERLAP_PROGRESS_US"].flatMap(Int.init) ?? 200, 0), 1_000_000)
    }

    /// The rows this rank trains on in the coming step.
    public var localRows: Int {
        get { lock.withLock { rows } }
        set { lock.withLock { rows = max(newValue, 0) } }
    }

    /// Floats all-reduced so far (gradients plus the row counts): for measuring bytes per step.
    public var floatsAllreduced: Int { lock.withLock { floatsReduced } }

    /// Wall-clock seconds the steps spent waiting for the gradient all-reduces so far (waiting for the
    /// other ranks included). Without overlap that is the whole all-reduce; with it, the part the
    /// backward pass did not hide.
    public var secondsAllreducing: Double { lock.withLock { reducing } }

    /// The steps whose all-reduces ran during their backward pass (the rest were reduced after it).
    public var stepsOverlapped: Int { lock.withLock { overlapped } }

    /// Runs `body` (one training step) with this averager observing its backward pass when
    /// `overlapsBackward` and there is more than one rank; `variables` are the weights the step trains.
    /// Reductions still in flight when `body` throws are waited for before the error goes on.
    public func observingBackward<Result>(of variables: [Variable], _ body: () throws -> Result) rethrows -> Result {
        let plan = lock.withLock { () -> OverlappedStep? in
            guard overlapsBackward, !overlapRefused, communicator.size > 1 else { return nil }
            step = OverlappedStep(sizes: variables.map(\.value.count), shapes: variables.map(\.shape),
                                  bucketFloats: max(bucketBytes / 4, 1), weight: Float(rows), progressMicroseconds: progressMicroseconds)
            return step
        }
        guard let plan else { return try body() }
        defer {
            lock.withLock { step = nil }
            // Only reductions of a step that threw are still in flight; that error is the one to report.
            try? plan.drain()
        }
        return try GradientReadiness.$observer.withValue(self) { try body() }
    }

    /// Called by the backward pass: packs the gradient into its bucket and starts every bucket that is
    /// full (in bucket order), then moves the reductions in flight on.
    public func gradientIsReady(_ gradient: Tensor, index: Int, count: Int) throws {
        guard let step = lock.withLock({ step }) else { return }
        try step.capture(gradient, index: index, count: count, communicator: communicator)
    }

    /// Returns Σ_r rows_r · g_r / Σ_r rows_r for every gradient, the same on every rank: from the
    /// reductions the backward pass started when `gradients` are the ones it reported, else by
    /// reducing every bucket now.
    public func transform(_ gradients: [Tensor], variables: [Variable]) throws -> [Tensor] {
        let overlapped = lock.withLock { step }
        if let overlapped {
            if let averaged = try overlapped.finish(gradients, averager: self) {
                lock.withLock { self.overlapped += 1 }
                return averaged
            }
            // A custom step changed the gradients after the backward pass: the started reductions are
            // waited for and discarded, and overlap stays off for the rest of this averager's life.
            try overlapped.drain()
            lock.withLock { overlapRefused = true }
        }
        let buckets = Self.reversedBuckets(sizes: gradients.map(\.count), bucketFloats: max(bucketBytes / 4, 1))
        let weight = Float(localRows)
        var buffers: [ReductionBuffer] = []
        for (bucketIndex, bucket) in buckets.enumerated() {
            let buffer = ReductionBuffer(count: Self.floats(in: bucket, sizes: gradients.map(\.count), carriesRows: bucketIndex == 0))
            var offset = 0
            for index in bucket {
                try buffer.store(gradients[index].scalars, at: offset, scaledBy: weight)
                offset += gradients[index].count
            }
            if bucketIndex == 0 { try buffer.store([weight], at: offset) }
            let start = DispatchTime.now().uptimeNanoseconds
            try communicator.startAllreduceSum(buffer).wait()
            record(floats: buffer.count, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            buffers.append(buffer)
        }
        return try unpack(buffers, buckets: buckets, shapes: gradients.map(\.shape))
    }

    /// Adds to the counters.
    func record(floats: Int, nanoseconds: UInt64) {
        lock.withLock {
            floatsReduced += floats
            reducing += Double(nanoseconds) / 1e9
        }
    }

    /// The averaged gradients from the reduced buckets: each value divided by the total rows (the last
    /// float of the first bucket).
    func unpack(_ buffers: [ReductionBuffer], buckets: [[Int]], shapes: [[Int]]) throws -> [Tensor] {
        guard let first = buffers.first, first.count > 0 else { return [] }
        let totalRows = first.values((first.count - 1)..<first.count)[0]
        guard totalRows > 0 else { throw DistributedError(rank: communicator.rank, "no rank trained on any row of this batch.") }
        var averaged = [Tensor?](repeating: nil, count: shapes.count)
        for (bucket, buffer) in zip(buckets, buffers) {
            var offset = 0
            for index in bucket {
                let count = shapes[index].reduce(1, *)
                let sum = try Tensor(shape: shapes[index], scalars: buffer.values(offset..<(offset + count)))
                averaged[index] = sum.scaled(by: 1 / totalRows)
                offset += count
            }
        }
        return try averaged.enumerated().map { index, tensor in
            guard let tensor else { throw DistributedError(rank: communicator.rank, "gradient \(index) was not reduced.") }
            return tensor
        }
    }

    /// The floats of a bucket: its gradients, plus the row count in the first bucket.
    static func floats(in bucket: [Int], sizes: [Int], carriesRows: Bool) -> Int {
        bucket.reduce(0) { $0 + sizes[$1] } + (carriesRows ? 1 : 0)
    }

    /// The variables' indices from the last to the first, grouped as `buckets` groups them.
    static func reversedBuckets(sizes: [Int], bucketFloats: Int) -> [[Int]] {
        buckets(sizes: sizes.reversed(), bucketFloats: bucketFloats).map { bucket in bucket.map { sizes.count - 1 - $0 } }
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
