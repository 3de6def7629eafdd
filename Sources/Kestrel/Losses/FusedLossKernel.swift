/// Shared machinery of the fused loss kernels: each loss computes its per-sample values and, when
/// `yPred` takes part in differentiation, the derivative of every per-sample value with respect to
/// every prediction element in the same pass over raw buffers. The backward pass then only scales each
/// sample's row of derivatives by the incoming gradient.
enum FusedLossKernel {
    /// `yPred` viewed as `batch` samples of `width` elements each (a rank-1 `yPred` has width 1).
    static func layout(_ yPred: Tensor, loss: String) throws -> (batch: Int, width: Int) {
        guard let batch = yPred.shape.first else {
            throw KestrelError.shapeMismatch("\(loss): predictions must have a batch dimension, got a scalar.")
        }
        return (batch, batch == 0 ? 0 : yPred.count / batch)
    }

    /// Makes the per-sample result `values` ([batch]) differentiable with respect to `yPred` using the
    /// precomputed per-element `derivative` (nil when `yPred` is not tracked).
    static func result(values: TensorBuffer, batch: Int, derivative: TensorBuffer?, yPred: Tensor) -> Tensor {
        let output = Tensor(shape: [batch], buffer: values)
        guard let derivative, yPred.requiresGradient else { return output }
        let shape = yPred.shape
        let width = batch == 0 ? 0 : derivative.count / batch
        return Tensor.differentiable(output, inputs: [yPred]) { gradient, _ in
            let result = TensorBuffer(count: derivative.count)
            let incoming = gradient.buffer.pointer, source = derivative.pointer, target = result.pointer
            for sample in 0..<batch {
                let scale = incoming[sample]
                let base = sample * width
                for element in base..<(base + width) { target[element] = source[element] * scale }
            }
            return [Tensor(shape: shape, buffer: result)]
        }
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

    /// A per-sample mean over elements of `f(target, prediction)`, where `f` returns the element's value
    /// and its derivative with respect to the prediction.
    @inline(__always)
    static func elementwise(yTrue: Tensor, yPred: Tensor, loss: String,
                            _ f: (_ target: Float, _ prediction: Float) -> (value: Float, derivative: Float)) throws -> Tensor {
        try checkSameShape(yTrue.shape, yPred.shape, loss: loss)
        let (batch, width) = try layout(yPred, loss: loss)
        let values = TensorBuffer(count: batch)
        let derivative = yPred.requiresGradient ? TensorBuffer(count: yPred.count) : nil
        let t = yTrue.buffer.pointer, p = yPred.buffer.pointer, out = values.pointer
        let inverseWidth = width == 0 ? 0 : 1 / Float(width)
        if let d = derivative?.pointer {
            for sample in 0..<batch {
                var total: Float = 0
                let base = sample * width
                for element in base..<(base + width) {
                    let (value, slope) = f(t[element], p[element])
                    total += value
                    d[element] = slope * inverseWidth
                }
                out[sample] = total * inverseWidth
            }
        } else {
            for sample in 0..<batch {
                var total: Float = 0
                let base = sample * width
                for element in base..<(base + width) { total += f(t[element], p[element]).value }
                out[sample] = total * inverseWidth
            }
        }
        return result(values: values, batch: batch, derivative: derivative, yPred: yPred)
    }
}
