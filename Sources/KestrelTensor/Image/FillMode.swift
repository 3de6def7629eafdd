/// How points outside the input image are filled by geometric transforms (Keras `fill_mode`).
public enum FillMode: String, Sendable, CaseIterable {
    /// (d c b a | a b c d | d c b a): mirror about the edge of the last pixel. Keras's default.
    case reflect
    /// (k k k k | a b c d | k k k k): the constant `fillValue`.
    case constant
    /// (a a a a | a b c d | d d d d): repeat the edge pixel.
    case nearest
    /// (a b c d | a b c d | a b c d): tile the image.
    case wrap

    /// Maps a continuous input coordinate into 0...size−1 as TensorFlow's `ImageProjectiveTransformV3` does
    /// (the kernel behind Keras's affine layers); `constant` is handled per neighbour instead.
    @inline(__always)
    func mapCoordinate(_ coordinate: Float, size: Int) -> Float {
        let length = Float(size)
        var mapped = coordinate
        switch self {
        case .constant:
            return coordinate
        case .nearest:
            break
        case .reflect:
            if size <= 1 { return 0 }
            let doubled = 2 * length
            if mapped < 0 {
                mapped += doubled * Float(Int(-mapped / doubled))
                mapped = mapped < -length ? mapped + doubled : -mapped - 1
            } else if mapped > length - 1 {
                mapped -= doubled * Float(Int(mapped / doubled))
                if mapped >= length { mapped = doubled - mapped - 1 }
            }
        case .wrap:
            if size <= 1 { return 0 }
            let span = length - 1
            if mapped < 0 {
                mapped += length * Float(Int(-mapped / span) + 1)
            } else if mapped > length - 1 {
                mapped -= length * Float(Int(mapped / span))
            }
        }
        return Swift.min(Swift.max(mapped, 0), length - 1)
    }
}
