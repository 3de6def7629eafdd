/// Shape checks shared by the losses. The fused kernels themselves (value and derivative in one pass)
/// are the engine's `Tensor.perSampleLoss(_:targets:)`; the losses check shapes with Keras's messages
/// first and then call it.
enum FusedLossKernel {
    /// `yPred` viewed as `batch` samples of `width` elements each (a rank-1 `yPred` has width 1).
    static func layout(_ yPred: Tensor, loss: String) throws -> (batch: Int, width: Int) {
        guard let batch = yPred.shape.first else {
            throw KestrelError.shapeMismatch("\(loss): predictions must have a batch dimension, got a scalar.")
        }
        return (batch, batch == 0 ? 0 : yPred.count / batch)
    }

    /// Checks that `yTrue` holds one target per prediction element: the same shape, or the same shape up
    /// to a trailing dimension of 1 (Keras squeezes it), e.g. [N] against [N, 1].
    static func checkSameShape(_ yTrue: [Int], _ yPred: [Int], loss: String) throws {
        func squeezed(_ shape: [Int]) -> [Int] { shape.count > 1 && shape.last == 1 ? Array(shape.dropLast()) : shape }
        guard yTrue == yPred || squeezed(yTrue) == squeezed(yPred) else {
            throw KestrelError.shapeMismatch(
                "\(loss): targets of shape \(yTrue) do not match predictions of shape \(yPred); they must have the same shape.")
        }
    }
}
