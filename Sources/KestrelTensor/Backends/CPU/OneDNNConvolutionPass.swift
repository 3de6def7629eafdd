/// The three passes of a convolution.
package enum OneDNNConvolutionPass: Sendable, Hashable, CaseIterable {
    /// Output from input, kernel and bias.
    case forward
    /// Input gradient from output gradient and kernel (oneDNN's backward data).
    case inputGradient
    /// Kernel (and bias) gradient from input and output gradient (oneDNN's backward weights).
    case filterGradient
}
