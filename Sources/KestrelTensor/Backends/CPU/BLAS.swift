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
        if splitsInnerDimension(m: m, n: n, k: k),
           innerDimensionSplit(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                               a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, workers: workers) {
            return
        }
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

    /// Whether a split product divides its inner dimension between the cores instead of C: a short, wide
    /// input times a tall weight matrix (a Dense forward: batch × inputs times inputs × units), where k is
    /// at least four times m and n and C is small.
    ///
    /// Each core then reads only its own rows of the weights — the rows that its share of the weight
    /// gradient (split by rows) and of the optimizer update (split by element ranges, in the same order)
    /// write — so the weights stop moving between the cores' caches every step. Measured in a two-thread
    /// C step of the Dense 784→128 batch-64 layer (forward, weight gradient, Adam) on the 2-core AVX-512
    /// EPYC: Adam 22–23 µs instead of 39–42 µs, forward 70–75 µs instead of 73–79 µs, 151–159 µs a step
    /// instead of 171–207 µs.
    static func splitsInnerDimension(m: Int, n: Int, k: Int) -> Bool {
        k >= 4 * Swift.max(m, n) && m * n <= 1 << 20
    }

    /// C = α·op(A)·op(B) + β·C with k split into one range per worker: the first range accumulates into C
    /// with β, every other one writes its partial product to a pooled buffer, and the partials are then
    /// added to C in range order (so a thread count gives the same numbers every time). Returns false,
    /// having done nothing, when no buffer could be had.
    private static func innerDimensionSplit(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                            beta: Float, c: UnsafeMutablePointer<Float>, workers: Int) -> Bool {
        let blocks = Swift.min(workers, k), blockSize = (k + blocks - 1) / blocks, size = m * n
        guard blocks > 1, let partials = BufferPool.shared.take(count: (blocks - 1) * size) else { return false }
        defer { BufferPool.shared.give(partials, count: (blocks - 1) * size) }
        let (aAddress, bAddress, cAddress, partialAddress) = (UInt(bitPattern: a), UInt(bitPattern: b),
                                                             UInt(bitPattern: c), UInt(bitPattern: partials))
        Parallel.forEach(count: blocks, threads: blocks) { block in
            let start = block * blockSize, length = Swift.min(blockSize, k - start)
            guard let a = UnsafePointer<Float>(bitPattern: aAddress), let b = UnsafePointer<Float>(bitPattern: bAddress),
                  let c = UnsafeMutablePointer<Float>(bitPattern: cAddress),
                  let partials = UnsafeMutablePointer<Float>(bitPattern: partialAddress) else { return }
            let target = block == 0 ? c : partials + (block - 1) * size
            guard length > 0 else {
                if block > 0 { target.update(repeating: 0, count: size) }
                return
            }
            strided(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: length, alpha: alpha,
                    a: transposeA ? a + start * lda : a + start, lda: lda,
                    b: transposeB ? b + start : b + start * ldb, ldb: ldb,
                    beta: block == 0 ? beta : 0, c: target, ldc: n)
        }
        for block in 1..<blocks {
            let partial = partials + (block - 1) * size
            for index in 0..<size { c[index] += partial[index] }
        }
        return true
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
