import Foundation
import KestrelTensor

/// One training step's all-reduces overlapped with its backward pass (`GradientAverager` with
/// `overlapsBackward`): the buckets of `GradientAverager.reversedBuckets`, each packed as its gradients
/// become final and started (in bucket order, as every rank must) once its last one is in.
final class OverlappedStep: @unchecked Sendable {
    private let lock = NSLock()
    private let sizes: [Int]
    private let shapes: [[Int]]
    private let weight: Float
    let buckets: [[Int]]
    private let buffers: [ReductionBuffer]
    /// Each variable's bucket and offset in it.
    private let places: [(bucket: Int, offset: Int)]
    private var missing: [Int]
    private var captured: [Tensor?]
    private var pending: [any PendingReduction] = []
    private var usable = true
    private let progressInterval: UInt32
    private var progressing = false

    /// The plan for variables of `sizes` (elements) and `shapes`, this rank's gradients weighted by `weight`
    /// (its rows). With `progressMicroseconds` > 0 a thread calls `test()` on the reductions in flight
    /// at that interval while the backward pass computes; otherwise they progress at each gradient report.
    init(sizes: [Int], shapes: [[Int]], bucketFloats: Int, weight: Float, progressMicroseconds: Int = 0) {
        progressInterval = UInt32(clamping: max(progressMicroseconds, 0))
        self.sizes = sizes
        self.shapes = shapes
        self.weight = weight
        buckets = GradientAverager.reversedBuckets(sizes: sizes, bucketFloats: bucketFloats)
        buffers = buckets.enumerated().map { index, bucket in
            ReductionBuffer(count: GradientAverager.floats(in: bucket, sizes: sizes, carriesRows: index == 0))
        }
        var places = [(bucket: Int, offset: Int)](repeating: (0, 0), count: sizes.count)
        for (bucketIndex, bucket) in buckets.enumerated() {
            var offset = 0
            for index in bucket {
                places[index] = (bucketIndex, offset)
                offset += sizes[index]
            }
        }
        self.places = places
        missing = buckets.map(\.count)
        captured = Array(repeating: nil, count: sizes.count)
    }

    /// Packs target `index`'s final gradient (of `count` targets) and starts the buckets now full, then
    /// lets the reductions in flight progress. A backward pass over other targets than the planned
    /// variables makes the step unusable (`finish` then returns nil).
    func capture(_ gradient: Tensor, index: Int, count: Int, communicator: any Communicator) throws {
        try lock.withLock {
            guard usable else { return }
            guard count == sizes.count, index >= 0, index < count, captured[index] == nil, gradient.shape == shapes[index] else {
                usable = false
                return
            }
            let place = places[index]
            try buffers[place.bucket].store(gradient.scalars, at: place.offset, scaledBy: weight)
            captured[index] = gradient
            missing[place.bucket] -= 1
            while pending.count < buckets.count, missing[pending.count] == 0 {
                let bucket = pending.count
                if bucket == 0 { try buffers[0].store([weight], at: buffers[0].count - 1) }
                pending.append(try communicator.startAllreduceSum(buffers[bucket]))
            }
            if progressInterval > 0 {
                if !progressing, !pending.isEmpty { startProgressThread() }
            } else {
                for reduction in pending { _ = try reduction.test() }
            }
        }
    }

    /// Starts the thread that tests the reductions in flight every `progressInterval` µs until the step
    /// is finished or drained (the caller holds `lock`).
    private func startProgressThread() {
        progressing = true
        let interval = progressInterval
        Thread.detachNewThread { [self] in
            while true {
                let reductions = lock.withLock { progressing ? pending : nil }
                guard let reductions else { return }
                // An error here shows again, and is thrown, when the training thread waits.
                var done = true
                for reduction in reductions { done = ((try? reduction.test()) ?? true) && done }
                if done, lock.withLock({ pending.count == buckets.count }) { return }
                usleep(interval)
            }
        }
    }

    /// The averaged gradients when `gradients` are exactly the ones captured (every bucket then started):
    /// waits for each bucket in order and unpacks them; nil otherwise.
    func finish(_ gradients: [Tensor], averager: GradientAverager) throws -> [Tensor]? {
        let reductions: [any PendingReduction]? = lock.withLock {
            guard usable, pending.count == buckets.count, gradients.count == captured.count,
                  zip(gradients, captured).allSatisfy({ given, kept in kept.map(given.sharesValues(with:)) ?? false }) else { return nil }
            usable = false
            progressing = false
            return pending
        }
        guard let reductions else { return nil }
        for (bucket, reduction) in reductions.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            try reduction.wait()
            averager.record(floats: buffers[bucket].count, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
        }
        lock.withLock { pending = [] }
        return try averager.unpack(buffers, buckets: buckets, shapes: shapes)
    }

    /// Waits for every reduction started and not finished (their results are dropped), so that no
    /// buffer is freed while MPI may still write into it and every rank has completed the same
    /// collectives.
    func drain() throws {
        let reductions = lock.withLock { () -> [any PendingReduction] in
            usable = false
            progressing = false
            defer { pending = [] }
            return pending
        }
        for reduction in reductions { try reduction.wait() }
    }
}
