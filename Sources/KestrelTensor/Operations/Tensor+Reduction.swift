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
        let result = backend.makeStorage(count: outer * inner)
        backend.argmax(storage, outer: outer, length: length, inner: inner, result)
        var outputShape = shape
        if keepDims { outputShape[axis] = 1 } else { outputShape.remove(at: axis) }
        return Tensor(shape: outputShape, storage: result)
    }

    /// Class indices along the last axis, as integers (Keras's `np.argmax(predictions, axis=-1)`).
    public func argmaxIndices() throws -> [Int] {
        try argmax(axis: -1).scalars.map { Int($0) }
    }

    /// For predictions `[rows, classes]` and one class index per row in `targets` (any shape with
    /// `rows` values): 1 where the target class is among the `k` highest scores (ties at the boundary
    /// count as in, as TensorFlow's `in_top_k`), else 0 — also for a non-finite score or a target that,
    /// truncated to an integer as Keras's int32 cast does, is outside `0..<classes`. Returns `[rows]`
    /// (no gradient); the top-k accuracy metrics count with it.
    public func inTopK(_ targets: Tensor, k: Int) throws -> Tensor {
        guard rank == 2 else {
            throw KestrelError.shapeMismatch("inTopK: predictions must be [rows, classes], got shape \(shape).")
        }
        let (rows, classes) = (shape[0], shape[1])
        guard targets.count == rows else {
            throw KestrelError.shapeMismatch(
                "inTopK: targets of shape \(targets.shape) must hold one class index for each of the \(rows) rows of predictions \(shape).")
        }
        let backend = try Tensor.backend(of: [self, targets], operation: "inTopK")
        let result = backend.makeStorage(count: rows)
        backend.inTopK(storage, rows: rows, classes: classes, targets: targets.storage, k: k, result)
        return Tensor(shape: [rows], storage: result)
    }

    // MARK: - Implementation

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
        let result = backend.makeStorage(count: outer * inner)
        let winners = kind == .sum ? nil : backend.makeStorage(count: outer * inner)
        backend.reduce(kind, storage, outer: outer, length: length, inner: inner, result, winners: winners)
        let inputShape = shape
        return Tensor.record(Tensor(shape: outputShape, storage: result), inputs: [self]) { gradient, _ in
            let backend = gradient.backend
            let full = backend.makeStorage(count: Tensor.elementCount(inputShape))
            backend.reduceBackward(kind, gradient.storage, winners: winners, outer: outer, length: length, inner: inner, full)
            return [Tensor(shape: inputShape, storage: full)]
        }
    }
}
