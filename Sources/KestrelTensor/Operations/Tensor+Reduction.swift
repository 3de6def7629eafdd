extension Tensor {
    /// Sum over `axes` (all axes when nil).
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        try reduce(axes: axes, keepDims: keepDims) { try $0.reduceAxis($1, kind: .sum) }
    }

    /// Mean over `axes` (all axes when nil).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let resolved = try resolvedAxes(axes)
        let divisor = resolved.map { shape[$0] }.reduce(1, *)
        return try sum(axes: axes, keepDims: keepDims).scaled(by: 1 / Float(Swift.max(divisor, 1)))
    }

    /// Maximum over `axes` (all axes when nil); the gradient goes to the first maximal element.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        try reduce(axes: axes, keepDims: keepDims) { try $0.reduceAxis($1, kind: .maximum) }
    }

    /// Minimum over `axes` (all axes when nil); the gradient goes to the first minimal element.
    public func min(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        try reduce(axes: axes, keepDims: keepDims) { try $0.reduceAxis($1, kind: .minimum) }
    }

    /// Index of the largest value along `axis` (as Float values; no gradient).
    public func argmax(axis: Int = -1, keepDims: Bool = false) throws -> Tensor {
        let axis = try normalizedAxis(axis)
        let (outer, length, inner) = splitSizes(axis)
        guard length > 0 else { throw KestrelError.invalidArgument("argmax over an empty axis \(axis) of shape \(shape).") }
        let result = TensorBuffer(count: outer * inner)
        let input = buffer.pointer
        for block in 0..<outer {
            for position in 0..<inner {
                var best = 0
                var bestValue = input[block * length * inner + position]
                for index in 1..<length {
                    let value = input[(block * length + index) * inner + position]
                    if value > bestValue { bestValue = value; best = index }
                }
                result.pointer[block * inner + position] = Float(best)
            }
        }
        var outputShape = shape
        if keepDims { outputShape[axis] = 1 } else { outputShape.remove(at: axis) }
        return Tensor(shape: outputShape, buffer: result)
    }

    /// Class indices along the last axis, as integers (Keras's `np.argmax(predictions, axis=-1)`).
    public func argmaxIndices() throws -> [Int] {
        try argmax(axis: -1).scalars.map { Int($0) }
    }

    // MARK: - Implementation

    enum ReductionKind { case sum, maximum, minimum }

    private func resolvedAxes(_ axes: [Int]?) throws -> [Int] {
        guard let axes else { return Array(0..<rank) }
        let resolved = try axes.map { try normalizedAxis($0) }
        guard Set(resolved).count == resolved.count else {
            throw KestrelError.invalidArgument("reduction axes \(axes) repeat an axis of shape \(shape).")
        }
        return resolved.sorted()
    }

    /// Reduces `axes`, first merging runs of adjacent reduced axes (a free reshape) so that, for
    /// example, a full reduction or a reduction over H and W is a single pass.
    private func reduce(axes: [Int]?, keepDims: Bool, _ reduceOne: (Tensor, Int) throws -> Tensor) throws -> Tensor {
        let resolved = Set(try resolvedAxes(axes))
        var mergedShape: [Int] = [], mergedAxes: [Int] = []
        var axis = 0
        while axis < rank {
            guard resolved.contains(axis) else {
                mergedShape.append(shape[axis])
                axis += 1
                continue
            }
            var size = 1
            while axis < rank && resolved.contains(axis) {
                size *= shape[axis]
                axis += 1
            }
            mergedAxes.append(mergedShape.count)
            mergedShape.append(size)
        }
        var result = mergedShape == shape ? self : try reshaped(mergedShape)
        for merged in mergedAxes.reversed() { result = try reduceOne(result, merged) }
        let outputShape = keepDims
            ? shape.enumerated().map { resolved.contains($0.offset) ? 1 : $0.element }
            : shape.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
        return result.shape == outputShape ? result : try result.reshaped(outputShape)
    }

    /// Sum of `count` contiguous values, with eight SIMD accumulators (vectorised and more accurate
    /// than one running total).
    @inline(__always)
    static func contiguousSum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = SIMD8<Float>(repeating: 0)
        var index = 0
        let raw = UnsafeRawPointer(values)
        while index + 8 <= count {
            accumulator += raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        var total = accumulator.sum()
        while index < count {
            total += values[index]
            index += 1
        }
        return total
    }

    func splitSizes(_ axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Reduces one axis, keeping it as size 1.
    func reduceAxis(_ axis: Int, kind: ReductionKind) throws -> Tensor {
        let (outer, length, inner) = splitSizes(axis)
        if kind != .sum && length == 0 {
            throw KestrelError.invalidArgument("max/min over an empty axis \(axis) of shape \(shape).")
        }
        var outputShape = shape
        outputShape[axis] = 1
        let result = TensorBuffer(count: outer * inner, repeating: 0)
        let input = buffer.pointer, output = result.pointer
        var winners: [Int32] = kind == .sum ? [] : [Int32](repeating: 0, count: outer * inner)
        for block in 0..<outer {
            let out = output + block * inner
            let base = input + block * length * inner
            switch kind {
            case .sum:
                if inner == 1 {
                    out[0] = Tensor.contiguousSum(base, count: length)
                } else {
                    for index in 0..<length {
                        let row = base + index * inner
                        for position in 0..<inner { out[position] += row[position] }
                    }
                }
            case .maximum, .minimum:
                let sign: Float = kind == .maximum ? 1 : -1
                for position in 0..<inner {
                    var best = 0
                    var bestValue = sign * base[position]
                    for index in 1..<Swift.max(length, 1) {
                        let value = sign * base[index * inner + position]
                        if value > bestValue || bestValue.isNaN { bestValue = value; best = index }
                    }
                    out[position] = sign * bestValue
                    winners[block * inner + position] = Int32(best)
                }
            }
        }
        let inputShape = shape
        return Tensor.record(Tensor(shape: outputShape, buffer: result), inputs: [self]) { gradient, _ in
            let full = TensorBuffer(count: Tensor.elementCount(inputShape), repeating: 0)
            let source = gradient.buffer.pointer
            for block in 0..<outer {
                for position in 0..<inner {
                    let value = source[block * inner + position]
                    if kind == .sum {
                        for index in 0..<length { full.pointer[(block * length + index) * inner + position] = value }
                    } else {
                        let index = Int(winners[block * inner + position])
                        full.pointer[(block * length + index) * inner + position] = value
                    }
                }
            }
            return [Tensor(shape: inputShape, buffer: full)]
        }
    }
}
