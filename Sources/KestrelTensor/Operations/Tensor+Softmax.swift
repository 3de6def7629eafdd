#if canImport(Glibc)
import Glibc
#endif

extension Tensor {
    /// Softmax along `axis` (numerically stable).
    public func softmax(axis: Int = -1) throws -> Tensor {
        let axis = try normalizedAxis(axis)
        let (outer, length, inner) = splitSizes(axis)
        let result = TensorBuffer(count: count)
        forEachLane(outer: outer, length: length, inner: inner, output: result.pointer) { input, output, stride in
            let largest = Tensor.laneMaximum(input, length: length, stride: stride)
            var total: Float = 0
            for index in 0..<length {
                let value = expf(input[index * stride] - largest)
                output[index * stride] = value
                total += value
            }
            let scale = 1 / total
            for index in 0..<length { output[index * stride] *= scale }
        }
        let output = Tensor(shape: shape, buffer: result)
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            // dx = y · (dy − Σ dy·y)
            [Tensor.laneGradient(output: output, gradient: gradient, outer: outer, length: length, inner: inner,
                                 laneTotal: { dy, y in dy * y }, element: { dy, y, dot in y * (dy - dot) })]
        }
    }

    /// log(softmax(x)) along `axis`, computed stably.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let axis = try normalizedAxis(axis)
        let (outer, length, inner) = splitSizes(axis)
        let result = TensorBuffer(count: count)
        forEachLane(outer: outer, length: length, inner: inner, output: result.pointer) { input, output, stride in
            let largest = Tensor.laneMaximum(input, length: length, stride: stride)
            var total: Float = 0
            for index in 0..<length { total += expf(input[index * stride] - largest) }
            let shift = largest + logf(total)
            for index in 0..<length { output[index * stride] = input[index * stride] - shift }
        }
        let output = Tensor(shape: shape, buffer: result)
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            // dx = dy − softmax · Σ dy
            [Tensor.laneGradient(output: output, gradient: gradient, outer: outer, length: length, inner: inner,
                                 laneTotal: { dy, _ in dy }, element: { dy, y, total in dy - expf(y) * total })]
        }
    }

    /// Calls `body` on every 1-D lane along an axis: input and output start pointers and the stride.
    private func forEachLane(outer: Int, length: Int, inner: Int, output: UnsafeMutablePointer<Float>,
                             _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) {
        let input = buffer.pointer
        Tensor.forEachLaneStart(outer: outer, length: length, inner: inner) { offset in
            body(input + offset, output + offset, inner)
        }
    }

    /// The input gradient of a lane-wise op from its `output` y and the incoming `gradient` dy: per lane,
    /// `total = Σ laneTotal(dy, y)`, then `dx = element(dy, y, total)` for each element.
    private static func laneGradient(output: Tensor, gradient: Tensor, outer: Int, length: Int, inner: Int,
                                     laneTotal: (Float, Float) -> Float, element: (Float, Float, Float) -> Float) -> Tensor {
        let dx = TensorBuffer(count: output.count)
        let dy = gradient.buffer.pointer, y = output.buffer.pointer
        forEachLaneStart(outer: outer, length: length, inner: inner) { base in
            var total: Float = 0
            for index in 0..<length { total += laneTotal(dy[base + index * inner], y[base + index * inner]) }
            for index in 0..<length {
                let offset = base + index * inner
                dx.pointer[offset] = element(dy[offset], y[offset], total)
            }
        }
        return Tensor(shape: output.shape, buffer: dx)
    }

    /// Calls `body` with the flat index of the first element of every lane (lanes are `inner` apart).
    private static func forEachLaneStart(outer: Int, length: Int, inner: Int, _ body: (Int) -> Void) {
        for block in 0..<outer {
            for position in 0..<inner { body(block * length * inner + position) }
        }
    }

    /// The largest of `length` values `stride` apart.
    private static func laneMaximum(_ lane: UnsafeMutablePointer<Float>, length: Int, stride: Int) -> Float {
        var largest = -Float.infinity
        for index in 0..<length { largest = Swift.max(largest, lane[index * stride]) }
        return largest
    }
}
