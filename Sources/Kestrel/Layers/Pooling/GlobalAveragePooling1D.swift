/// Averages each feature over the steps of [batch, steps, features] sequences → [batch, features]
/// (Keras's `GlobalAveragePooling1D`). Given a mask (from `Embedding(maskZero: true)` in a `Sequential`),
/// only unmasked steps are averaged, as Keras does (a sample with every step masked gets NaN, as in Keras).
public final class GlobalAveragePooling1D: GlobalPooling, @unchecked Sendable {
    override class var pooledAxes: Int { 1 }

    override func pooled(_ input: Tensor) throws -> Tensor { try input.mean(axes: [1], keepDims: keepDims) }

    /// The mean over the unmasked steps; `mask` is [batch, steps] of 1 (kept) and 0 (masked).
    public func call(_ input: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        try buildIfNeeded(inputShape: Array(input.shape.dropFirst()))
        guard let mask else { return try call(input, training: training) }
        guard mask.shape == Array(input.shape.prefix(2)) else {
            throw KestrelError.shapeMismatch("GlobalAveragePooling1D '\(name)': mask of shape \(mask.shape) does not fit inputs of shape \(input.shape).")
        }
        let weights = try mask.reshaped(mask.shape + [1])
        let total = try (input * weights).sum(axes: [1], keepDims: keepDims)
        return try total / weights.sum(axes: [1], keepDims: keepDims)
    }
}
