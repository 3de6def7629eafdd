import CKernels

/// The library one single-threaded matrix product runs on: OpenBLAS, or oneDNN's `dnnl_sgemm` when
/// Kestrel is built with the `OneDNN` trait.
///
/// The choice depends only on the product's shape and the processor, so a run gives the same numbers
/// every time. Measured on a 2-core AVX-512 EPYC (OpenBLAS 0.3.21's Cooperlake kernels against oneDNN
/// 2.6, one thread each): oneDNN took 0.71–0.94 of OpenBLAS's time on products of 4 MFLOP and more
/// with a transposed operand (weight gradients: 392×128×64 0.88, 576×64×4096 0.80; input gradients:
/// 4096×576×64 0.91) and on most plain ones (64×64×784 0.89), but 1.0–1.4 on products of about
/// 1 MFLOP and less and on some narrow ones. Plain products (a Dense or im2col forward) stay on
/// OpenBLAS anyway: after oneDNN's forward 64×64×784 on both threads, the Adam update of the same
/// weights took 71–76 µs instead of 37–42 µs, which outweighs the faster product. With oneDNN limited
/// to AVX2 one transposed shape took 1.55× as long, so processors without AVX-512 keep OpenBLAS.
enum MatrixMultiplyLibrary {
    case openBLAS
    case oneDNN

    /// Products below this many floating-point operations stay on OpenBLAS.
    static let oneDNNMinimumFlops = 4_000_000
    /// Products with fewer output rows or columns than this stay on OpenBLAS.
    static let oneDNNMinimumSide = 64
    /// Whether oneDNN is linked and the processor has AVX-512F.
    static let oneDNNAvailable: Bool = {
        #if OneDNN
        return kestrel_float_vector_width() == 16
        #else
        return false
        #endif
    }()

    /// The library for an `m`×`n` product over `k`, of which `transposed` says whether an operand is transposed.
    static func preferred(m: Int, n: Int, k: Int, transposed: Bool) -> MatrixMultiplyLibrary {
        guard oneDNNAvailable, transposed, m >= oneDNNMinimumSide, n >= oneDNNMinimumSide,
              2 * m * n * k >= oneDNNMinimumFlops else { return .openBLAS }
        return .oneDNN
    }
}
