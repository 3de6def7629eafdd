/// NumPy-style broadcasting rules shared by the elementwise operations.
enum Broadcasting {
    /// The broadcast shape of `a` and `b`, or nil if they are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let dimensionA = index < rank - a.count ? 1 : a[index - (rank - a.count)]
            let dimensionB = index < rank - b.count ? 1 : b[index - (rank - b.count)]
            if dimensionA == dimensionB || dimensionB == 1 {
                result[index] = dimensionA
            } else if dimensionA == 1 {
                result[index] = dimensionB
            } else {
                return nil
            }
        }
        return result
    }

    /// Element strides of `shape` read as `outputShape` (0 along broadcast dimensions).
    static func strides(of shape: [Int], in outputShape: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: outputShape.count - shape.count) + shape
        var strides = [Int](repeating: 0, count: outputShape.count)
        var running = 1
        for index in stride(from: padded.count - 1, through: 0, by: -1) {
            strides[index] = padded[index] == 1 ? 0 : running
            running *= padded[index]
        }
        return strides
    }

    /// Applies `operation` elementwise over broadcast operands into `output` (`outputShape`): the
    /// CPU backend's loop, specialised per operation (the closure is inlined, never called per element).
    @inline(__always)
    static func apply(_ pa: UnsafePointer<Float>, _ shapeA: [Int], _ pb: UnsafePointer<Float>, _ shapeB: [Int],
                      _ output: UnsafeMutablePointer<Float>, _ outputShape: [Int],
                      _ operation: (Float, Float) -> Float) {
        let count = Tensor.elementCount(outputShape)
        let countA = Tensor.elementCount(shapeA), countB = Tensor.elementCount(shapeB)
        if shapeA == shapeB && countA == count {
            Parallel.forEachRange(count: count) { range in
                for index in range { output[index] = operation(pa[index], pb[index]) }
            }
        } else if countB == 1 && countA == count {
            let scalar = pb[0]
            Parallel.forEachRange(count: count) { range in
                for index in range { output[index] = operation(pa[index], scalar) }
            }
        } else if countA == 1 && countB == count {
            let scalar = pa[0]
            Parallel.forEachRange(count: count) { range in
                for index in range { output[index] = operation(scalar, pb[index]) }
            }
        } else if count > 0 {
            general(pa, strides(of: shapeA, in: outputShape), pb, strides(of: shapeB, in: outputShape),
                    output, outputShape, operation)
        }
    }

    /// The general case: walks the output row by row, keeping operand offsets incrementally.
    @inline(__always)
    private static func general(_ pa: UnsafePointer<Float>, _ stridesA: [Int],
                                _ pb: UnsafePointer<Float>, _ stridesB: [Int],
                                _ output: UnsafeMutablePointer<Float>, _ shape: [Int],
                                _ operation: (Float, Float) -> Float) {
        let rank = shape.count
        let inner = shape[rank - 1]
        let innerStrideA = stridesA[rank - 1], innerStrideB = stridesB[rank - 1]
        let rows = Tensor.elementCount(shape) / max(inner, 1)
        var counters = [Int](repeating: 0, count: rank)
        var offsetA = 0, offsetB = 0
        for row in 0..<rows {
            let out = output + row * inner
            let rowA = pa + offsetA, rowB = pb + offsetB
            switch (innerStrideA, innerStrideB) {
            case (1, 1): for index in 0..<inner { out[index] = operation(rowA[index], rowB[index]) }
            case (1, 0): let value = rowB[0]; for index in 0..<inner { out[index] = operation(rowA[index], value) }
            case (0, 1): let value = rowA[0]; for index in 0..<inner { out[index] = operation(value, rowB[index]) }
            default: let value = operation(rowA[0], rowB[0]); for index in 0..<inner { out[index] = value }
            }
            var axis = rank - 2
            while axis >= 0 {
                counters[axis] += 1
                offsetA += stridesA[axis]
                offsetB += stridesB[axis]
                if counters[axis] < shape[axis] { break }
                offsetA -= stridesA[axis] * shape[axis]
                offsetB -= stridesB[axis] * shape[axis]
                counters[axis] = 0
                axis -= 1
            }
        }
    }
}
