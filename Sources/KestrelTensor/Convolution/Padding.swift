/// How convolution and pooling windows treat the borders of an image (Keras's `padding` argument).
///
/// - `valid`: no padding; windows stay inside the image, so the output shrinks to
///   `(size - window) / stride + 1` (rounded down).
/// - `same`: zero padding (ignored by pooling) so that the output has `ceil(size / stride)` positions.
///   As in TensorFlow/Keras, the total padding is `max((out - 1) · stride + window - size, 0)` and an odd
///   total puts the extra row/column at the bottom/right.
public enum Padding: String, Sendable, CaseIterable {
    case valid
    case same
}
