/// Which implementation runs a convolution pass on the CPU backend: im2col + OpenBLAS, or one of
/// oneDNN's primitives (only with the `OneDNN` package trait; without it every route is im2col).
package enum OneDNNConvolutionRoute: Sendable, Hashable {
    /// The choice measured per shape and pass on an AVX-512 machine (`OneDNNConvolution.measuredVariant`).
    case measured
    /// Always im2col + OpenBLAS.
    case im2col
    /// Always this oneDNN variant, falling back to im2col only where its primitive cannot be created.
    case oneDNN(OneDNNConvolutionVariant)
}
