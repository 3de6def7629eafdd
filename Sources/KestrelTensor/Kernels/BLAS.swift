import CBLAS
import Synchronization

/// The single entry to OpenBLAS's `cblas_sgemm`, choosing the BLAS thread count per call size.
///
/// OpenBLAS's own threading is slow on small matrices, so calls below `singleThreadFlops` run on
/// one thread and larger ones on all cores.
public enum BLAS {
    /// Products smaller than this many floating-point operations run single-threaded.
    nonisolated(unsafe) public static var singleThreadFlops = 8_000_000
    private static let currentThreads = Mutex(0)

    /// Sets OpenBLAS's thread count, calling into OpenBLAS only when it changes.
    public static func useThreads(_ count: Int) {
        let changed = currentThreads.withLock { current -> Bool in
            guard current != count else { return false }
            current = count
            return true
        }
        if changed { openblas_set_num_threads(Int32(count)) }
    }

    /// C = alpha · op(A) · op(B) + beta · C for row-major matrices; op transposes when asked.
    /// `A` is m×k after op, `B` is k×n after op, `C` is m×n.
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if beta == 0 { c.update(repeating: 0, count: m * n) } else if beta != 1 {
                for index in 0..<(m * n) { c[index] *= beta }
            }
            return
        }
        useThreads(2 * m * n * k < singleThreadFlops ? 1 : Parallel.coreCount)
        gemmOnCurrentThreads(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                             alpha: alpha, a: a, b: b, beta: beta, c: c)
    }

    /// `gemm` without touching the thread count: for kernels that run several single-threaded
    /// products side by side after calling `useThreads(1)`. `m`, `n` and `k` must be positive.
    static func gemmOnCurrentThreads(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                     alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                     beta: Float = 0, c: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }
}
