#if OneDNN
extension OneDNNConvolution {
    /// The oneDNN variant that measured faster than im2col + OpenBLAS for this shape and pass on
    /// `threads` threads, or nil to keep im2col (Docs/Backends.md has the measurements).
    static func measuredVariant(_ geometry: WindowGeometry, outputChannels: Int, pass: OneDNNConvolutionPass,
                                threads: Int) -> OneDNNConvolutionVariant? {
        nil
    }
}
#endif
