import KestrelTensor
/// Keras `RandomFlip`: each image is mirrored left-right and/or top-bottom with probability 1/2 per allowed axis. Exact.
public struct RandomFlipTransform: GeometricImageTransform {
    /// Which axes may be flipped.
    public var mode: FlipMode
    /// How points outside the image are filled.
    public var fillMode: FillMode { .reflect }
    /// The value of points outside the image when `fillMode` is `.constant`.
    public var fillValue: Float { 0 }
    /// How the image is sampled between pixel centres.
    public var interpolation: Interpolation { .bilinear }
    /// A flip never samples outside the image, so any fill mode may be fused with it.
    public var samplesOutside: Bool { false }

    /// Flips along the axes `mode` allows (both by default, as Keras).
    public init(mode: FlipMode = .horizontalAndVertical) {
        self.mode = mode
    }

    /// Draws one image's map (output → input coordinates) from the generator.
    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        var transform = AffineTransform.identity
        if mode != .vertical, generator.next() & 1 == 1 { transform = transform.followed(by: .horizontalFlip(width: width)) }
        if mode != .horizontal, generator.next() & 1 == 1 { transform = transform.followed(by: .verticalFlip(height: height)) }
        return transform
    }
}
