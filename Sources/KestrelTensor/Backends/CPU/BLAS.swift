import CBLAS
#if OneDNN
import CDNNL
#endif
import Synchronization

/// The single entry to the matrix product (OpenBLAS's `cblas_sgemm`, or oneDNN's `dnnl_sgemm` where
/// `MatrixMultiplyLibrary` prefers it), choosing the thread count per call size.
///
/// OpenBLAS's own threading is slow on small matrices, so calls below
/// `EngineConfiguration.blasSingleThreadFlops` run on one thread and larger ones are split into one
/// single-threaded OpenBLAS call per thread of the configured thread count.
enum BLAS {
    private static let currentThreads = Mutex(0)

    /// Sets OpenBLAS's thread count, calling into OpenBLAS only when it changes.
    static func useThreads(_ count: Int) {
        let changed = currentThreads.withLock { current -> Bool in
            guard current != count else { return false }
            current = count
            return true
        }
        if changed { openblas_set_num_threads(Int32(count)) }
    }

    /// C = alpha · op(A) · op(B) + beta · C for row-major matrices; op transposes when asked.
    /// `A` is m×k after op, `B` is k×n after op, `C` is m×n.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if beta == 0 { c.update(repeating: 0, count: m * n) } else if beta != 1 {
                for index in 0..<(m * n) { c[index] *= beta }
            }
            return
        }
        let configuration = EngineConfiguration.current
        let workers = 2 * m * n * k < configuration.blasSingleThreadFlops ? 1 : configuration.threadCount
        guard workers > 1 else {
            gemmOnCurrentThreads(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                 alpha: alpha, a: a, b: b, beta: beta, c: c)
            return
        }
        // Large products: split C into one block of rows (or columns) per core and run single-threaded
        // OpenBLAS on each from Kestrel's own worker threads. OpenBLAS's threads spin between calls and
        // then compete with Kestrel's elementwise kernels for the same two cores.
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        let splitRows = m >= n
        let total = splitRows ? m : n
        let blocks = Swift.min(workers, total)
        let blockSize = (total + blocks - 1) / blocks
        let (aAddress, bAddress, cAddress) = (UInt(bitPattern: a), UInt(bitPattern: b), UInt(bitPattern: c))
        Parallel.forEach(count: blocks, threads: blocks) { block in
            let start = block * blockSize
            let size = Swift.min(blockSize, total - start)
            guard size > 0, let a = UnsafePointer<Float>(bitPattern: aAddress), let b = UnsafePointer<Float>(bitPattern: bAddress),
                  let c = UnsafeMutablePointer<Float>(bitPattern: cAddress) else { return }
            if splitRows {
                strided(transposeA: transposeA, transposeB: transposeB, m: size, n: n, k: k, alpha: alpha,
                        a: transposeA ? a + start : a + start * lda, lda: lda, b: b, ldb: ldb,
                        beta: beta, c: c + start * n, ldc: n)
            } else {
                strided(transposeA: transposeA, transposeB: transposeB, m: m, n: size, k: k, alpha: alpha,
                        a: a, lda: lda, b: transposeB ? b + start * ldb : b + start, ldb: ldb,
                        beta: beta, c: c + start, ldc: n)
            }
        }
    }

    /// One OpenBLAS call on the calling thread with explicit leading dimensions.
    ///
    /// For `beta = 0` C is cleared here and OpenBLAS accumulates into it (`beta = 1`): its own
    /// `beta = 0` path first runs a scalar clearing kernel that took ~16 µs for a 392×128 block,
    /// against ~3 µs for `memset`; the values are the same (0 + α·AB either way). OpenBLAS always
    /// accumulates into C, so C is cleared on either path; on an AVX-512 EPYC (OpenBLAS 0.3.21's
    /// Cooperlake kernels) the two cost the same (392×128×64: 64.9 µs with β = 0, 65.1 µs with this
    /// `memset` and β = 1, of which the `memset` 1.7 µs).
    /// `library` is OpenBLAS or oneDNN (`MatrixMultiplyLibrary.preferred` by default); oneDNN's
    /// `dnnl_sgemm` runs on this thread alone and handles `beta = 0` itself.
    static func strided(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                        library: MatrixMultiplyLibrary? = nil) {
        #if OneDNN
        if (library ?? .preferred(m: m, n: n, k: k, transposed: transposeA || transposeB)) == .oneDNN {
            if omp_get_max_threads() != 1 { omp_set_num_threads(1) }
            let transpose = (normal: CChar(UInt8(ascii: "N")), transposed: CChar(UInt8(ascii: "T")))
            let status = dnnl_sgemm(transposeA ? transpose.transposed : transpose.normal,
                                    transposeB ? transpose.transposed : transpose.normal,
                                    Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
            if status == dnnl_success { return }
        }
        #endif
        useThreads(1)
        var beta = beta
        if beta == 0 {
            if ldc == n {
                c.update(repeating: 0, count: m * n)
            } else {
                for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            }
            beta = 1
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    static func gemmOnCurrentThreads(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                     alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                     beta: Float = 0, c: UnsafeMutablePointer<Float>) {
        strided(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, beta: beta, c: c, ldc: n)
    }
}
