/// Tuning knobs of the convolution kernels (chunked im2col + GEMM), exposed for benchmarks.
///
/// The cores take blocks of whole images in turn; each unfolds a chunk of output positions into its
/// own small column buffer and multiplies it with the kernel on one BLAS thread, so the unfolding, the
/// products and the folding of gradients all run in parallel without sharing memory.
public enum Convolution {
    /// Target size of one core's im2col buffer, in bytes (it is reused chunk after chunk).
    nonisolated(unsafe) public static var columnChunkBytes = 1 << 20
    /// Target size of one core's im2col buffer in the kernel-gradient pass, in bytes: larger chunks
    /// give each dKernel GEMM a longer inner dimension.
    nonisolated(unsafe) public static var filterGradientChunkBytes = 2 << 20
    /// Convolutions below this many floating-point operations (forward) run on one core.
    nonisolated(unsafe) public static var parallelFlops = 4_000_000
    /// Whether unit-stride convolutions compute the input gradient as a convolution of the output
    /// gradient with the flipped kernel (no col2im) instead of GEMM + col2im.
    nonisolated(unsafe) public static var transposedInputGradient = true
}
