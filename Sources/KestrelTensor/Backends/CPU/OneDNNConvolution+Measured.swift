#if OneDNN
extension OneDNNConvolution {
    /// The oneDNN variant that measured clearly faster than im2col + OpenBLAS for this shape and pass,
    /// or nil to keep im2col (`Benchmarks onednn-conv`, 3 alternated rounds on a 2-core AVX-512 machine
    /// on 1 and 2 threads; Docs/Backends.md has the numbers).
    ///
    /// What won: oneDNN's Winograd F(4×4, 3×3) (`jit_wino_4x3`, AVX-512 only, blocked layouts with
    /// the reorders counted) for 3×3 stride-1 convolutions with at least 64 input and output channels
    /// on images of at least 16×16 (batch 128 measured; at least 16 asked), in the forward and
    /// input-gradient passes, and on one thread in the kernel-gradient pass too. Kept on im2col: the
    /// kernel gradient on 2 threads (Winograd won 2 of 3 rounds on 32×32×64→64, lost all 3 on
    /// 16×16×64→128), the
    /// 3-channel first layer (oneDNN 2–4× slower: too few channels for its blocking), 1×1 and stride-2
    /// convolutions (no clear winner), and everything outside the measured sizes.
    static func measuredVariant(_ geometry: WindowGeometry, outputChannels: Int, pass: OneDNNConvolutionPass,
                                threads: Int) -> OneDNNConvolutionVariant? {
        let winogradShape = geometry.windowHeight == 3 && geometry.windowWidth == 3
            && geometry.strideHeight == 1 && geometry.strideWidth == 1
            && geometry.channels >= 64 && outputChannels >= 64
            && geometry.outputHeight >= 16 && geometry.outputWidth >= 16 && geometry.batch >= 16
        guard winogradShape, pass != .filterGradient || threads == 1 else { return nil }
        return OneDNNConvolutionVariant(.winograd, .any)
    }
}
#endif
