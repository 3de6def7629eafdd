import CKernels

/// Splits loops over large tensors across the threads of `EngineConfiguration.current`; small loops,
/// and every loop when the thread count is one, run inline on the caller.
///
/// Parallel sections run on `WorkerPool`, the one pool every parallel kernel uses (GEMM blocks,
/// convolution chunks, elementwise loops, the optimizers' updates, image augmentation, the data
/// pipeline's parallel map). A section nested inside another, or started while another thread's
/// section holds the pool, runs inline.
public enum Parallel {
    /// Threads the parallel kernels use on this thread or task (`EngineConfiguration.current.threadCount`).
    public static var threadCount: Int { EngineConfiguration.current.threadCount }

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when `count` is at least
    /// `minimumPerThread` times two.
    @inline(__always)
    public static func forEachRange(count: Int, minimumPerThread: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let threads = count >= 2 * minimumPerThread ? threadCount : 1
        let chunks = min(threads, count / max(minimumPerThread, 1))
        if chunks <= 1 {
            flushSubnormalsToZero()
            body(0..<count)
            return
        }
        let chunkSize = (count + chunks - 1) / chunks
        forEach(count: chunks, threads: threads) { chunk in
            let start = chunk * chunkSize
            let end = min(count, start + chunkSize)
            if start < end { body(start..<end) }
        }
    }

    /// Sets this thread to flush subnormal floats to zero (TensorFlow's default too): subnormal
    /// arithmetic is two orders of magnitude slower and shows up in decaying optimizer state.
    @inline(__always)
    public static func flushSubnormalsToZero() {
        kestrel_flush_subnormals_to_zero()
    }

    /// Calls `body(index)` for every index in `0..<count`, spread over the threads when `count > 1`.
    public static func forEach(count: Int, _ body: (Int) -> Void) {
        forEach(count: count, threads: count > 1 ? threadCount : 1, body)
    }

    /// `forEach` on at most `threads` threads (the caller included).
    static func forEach(count: Int, threads: Int, _ body: (Int) -> Void) {
        if count > 1, threads > 1, WorkerPool.shared.run(iterations: count, threads: threads, body) == .ran { return }
        for index in 0..<count { body(index) }
    }
}
