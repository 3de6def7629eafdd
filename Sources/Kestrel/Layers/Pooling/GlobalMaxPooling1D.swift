/// The largest value of each feature over the steps of [batch, steps, features] sequences → [batch, features]
/// (Keras's `GlobalMaxPooling1D`, which ignores masks).
public final class GlobalMaxPooling1D: GlobalPooling, @unchecked Sendable {
    override class var pooledAxes: Int { 1 }

    override func pooled(_ input: Tensor) throws -> Tensor { try input.max(axes: [1], keepDims: keepDims) }
}
