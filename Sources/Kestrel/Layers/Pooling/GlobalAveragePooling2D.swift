/// Averages each channel over all positions of NHWC images: [N, H, W, C] → [N, C]
/// (Keras's `GlobalAveragePooling2D`).
public final class GlobalAveragePooling2D: GlobalPooling, @unchecked Sendable {
    override func pooled(_ input: Tensor) throws -> Tensor { try Tensor.globalAveragePool2d(input, keepDims: keepDims) }
}
