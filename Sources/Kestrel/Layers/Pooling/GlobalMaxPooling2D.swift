/// The maximum of each channel over all positions of NHWC images: [N, H, W, C] → [N, C]
/// (Keras's `GlobalMaxPooling2D`).
public final class GlobalMaxPooling2D: GlobalPooling, @unchecked Sendable {
    override func pooled(_ input: Tensor) throws -> Tensor { try Tensor.globalMaxPool2d(input, keepDims: keepDims) }
}
