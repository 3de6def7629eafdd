/// How geometric transforms sample the input between pixel centres (Keras `interpolation`).
public enum Interpolation: String, Sendable {
    case bilinear
    case nearest
}
