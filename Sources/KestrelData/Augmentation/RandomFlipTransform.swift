import KestrelTensor
/// Keras `RandomFlip`: each image is mirrored left-right and/or top-bottom with probability 1/2 per allowed axis. Exact.
public struct RandomFlipTransform: GeometricImageTransform {
    public var mode: FlipMode
    public var fillMode: FillMode { .reflect }
    public var fillValue: Float { 0 }
    public var interpolation: Interpolation { .bilinear }
    public var samplesOutside: Bool { false }

    public init(mode: FlipMode = .horizontalAndVertical) {
        self.mode = mode
    }

    public func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        var transform = AffineTransform.identity
        if mode != .vertical, generator.next() & 1 == 1 { transform = transform.followed(by: .horizontalFlip(width: width)) }
        if mode != .horizontal, generator.next() & 1 == 1 { transform = transform.followed(by: .verticalFlip(height: height)) }
        return transform
    }
}
