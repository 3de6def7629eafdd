/// A oneDNN convolution algorithm and the memory layout its primitive is asked to work in.
package struct OneDNNConvolutionVariant: Sendable, Hashable, CustomStringConvertible {
    /// oneDNN's convolution algorithms.
    package enum Algorithm: Sendable, Hashable {
        /// `convolution_direct`.
        case direct
        /// `convolution_winograd` (oneDNN 2.6: AVX-512 only, 3×3 stride 1).
        case winograd
        /// `convolution_auto`: oneDNN picks direct or Winograd.
        case automatic
    }

    /// The layouts the primitive works in.
    package enum Layout: Sendable, Hashable {
        /// Images and output in Kestrel's NHWC, the kernel in the layout oneDNN picks (reordered from
        /// `[KH, KW, Cin, Cout]` on every call).
        case nhwc
        /// Every tensor in the layout oneDNN picks (blocked, e.g. `nChw16c`), reordered from and to
        /// Kestrel's layouts on every call.
        case any
    }

    /// The algorithm.
    package let algorithm: Algorithm
    /// The layout.
    package let layout: Layout

    /// A variant of `algorithm` in `layout`.
    package init(_ algorithm: Algorithm, _ layout: Layout) {
        self.algorithm = algorithm
        self.layout = layout
    }

    /// E.g. `direct/nhwc`.
    package var description: String {
        let name = switch algorithm { case .direct: "direct"; case .winograd: "winograd"; case .automatic: "auto" }
        return name + (layout == .nhwc ? "/nhwc" : "/any")
    }
}
