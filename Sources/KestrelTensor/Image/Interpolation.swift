/// How geometric transforms sample the input between pixel centres (Keras `interpolation`).
public enum Interpolation: String, Sendable {
    /// The four neighbours weighted by distance (Keras's default).
    case bilinear
    /// The nearest pixel.
    case nearest
}
