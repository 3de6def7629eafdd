import CKernels
import Dispatch
import Foundation

/// Splits loops over large tensors across the machine's cores; small loops run inline.
///
/// Parallel sections run on `WorkerPool`'s spinning helpers; when another thread holds the pool they
/// fall back to `DispatchQueue.concurrentPerform`, and a section nested in another runs inline.
public enum Parallel {
    /// Number of cores used for parallel kernels.
    public static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when `count` is at least
    /// `minimumPerThread` times two.
    @inline(__always)
    public static func forEachRange(count: Int, minimumPerThread: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let chunks = min(coreCount, count / max(minimumPerThread, 1))
        if chunks <= 1 {
            flushSubnormalsToZero()
            body(0..<count)
            return
        }
        let chunkSize = (count + chunks - 1) / chunks
        forEach(count: chunks) { chunk in
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

    /// Calls `body(index)` for every index in `0..<count`, spread over the cores when `count > 1`.
    public static func forEach(count: Int, _ body: (Int) -> Void) {
        if count <= 1 || coreCount == 1 {
            for index in 0..<count { body(index) }
            return
        }
        switch WorkerPool.shared?.run(iterations: count, body) {
        case .ran: return
        case .nested:
            for index in 0..<count { body(index) }
            return
        case .busy, nil: break
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendableBox(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                flushSubnormalsToZero()
                box.value(index)
            }
        }
    }
}

/// Carries a non-Sendable value to another thread whose use of it the caller has made safe (a kernel's
/// closure whose chunks write disjoint memory, the prefetcher's upstream iterator used by one worker).
/// The package's only such box; other modules of the package use it too.
package struct UncheckedSendableBox<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
