extension Tensor {
    /// The same values in a new shape (no copy). One dimension may be -1 to be inferred.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        guard unknown.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw KestrelError.shapeMismatch("reshape to \(newShape): at most one dimension may be -1 and none may be negative.")
        }
        if let index = unknown.first {
            guard known > 0, count % known == 0 else {
                throw KestrelError.shapeMismatch("cannot reshape \(shape) (\(count) values) to \(newShape).")
            }
            resolved[index] = count / known
        }
        guard Tensor.elementCount(resolved) == count else {
            throw KestrelError.shapeMismatch(
                "cannot reshape \(shape) (\(count) values) to \(newShape) (\(Tensor.elementCount(resolved)) values).")
        }
        let oldShape = shape
        let output = Tensor(shape: resolved, storage: storage)
        return Tensor.record(output, inputs: [self]) { gradient, _ in [try gradient.reshaped(oldShape)] }
    }

    /// Rows × everything else (Keras's `Flatten` on a batch).
    public func flattenedBatch() throws -> Tensor {
        guard rank >= 1 else { throw KestrelError.shapeMismatch("flatten needs at least one dimension, got a scalar.") }
        return try reshaped([shape[0], count / Swift.max(shape[0], 1)])
    }

    /// Reorders dimensions: output dimension `i` is input dimension `axes[i]`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw KestrelError.invalidArgument("permute \(axes) is not a permutation of the \(rank) axes of shape \(shape).")
        }
        let outputShape = axes.map { shape[$0] }
        let result = backend.makeStorage(count: count)
        backend.permute(storage, shape: shape, axes: axes, result)
        var inverse = [Int](repeating: 0, count: rank)
        for (index, axis) in axes.enumerated() { inverse[axis] = index }
        return Tensor.record(Tensor(shape: outputShape, storage: result), inputs: [self]) { gradient, _ in
            [try gradient.permuted(inverse)]
        }
    }

    /// Swaps the last two dimensions (a matrix transpose for rank 2).
    public func transposed() throws -> Tensor {
        guard rank >= 2 else { throw KestrelError.shapeMismatch("transpose needs rank ≥ 2, got shape \(shape).") }
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return try permuted(axes)
    }

    /// Rows `range` along the first axis (a mini-batch). The result shares this tensor's storage (no
    /// copy), like a NumPy slice; tensors are not changed in place, except a `Variable`'s value.
    public func slice(rows range: Range<Int>) throws -> Tensor {
        guard rank >= 1, range.lowerBound >= 0, range.upperBound <= shape[0] else {
            throw KestrelError.invalidArgument("slice rows \(range) is outside the first axis of shape \(shape).")
        }
        let rowSize = count / Swift.max(shape[0], 1)
        let outputShape = [range.count] + shape.dropFirst()
        let result = backend.view(storage, offset: range.lowerBound * rowSize, count: range.count * rowSize)
        let fullShape = shape
        return Tensor.record(Tensor(shape: outputShape, storage: result), inputs: [self]) { gradient, _ in
            let full = Tensor.filled(fullShape, value: 0, on: gradient.device)
            gradient.backend.copyBlocks(from: gradient.storage, offset: 0, stride: 0, to: full.storage,
                                        offset: range.lowerBound * rowSize, stride: 0, blocks: 1, length: gradient.count)
            return [full]
        }
    }

    /// The rows at `indices` along the first axis, in that order (shuffled mini-batches, embeddings).
    public func gathering(rows indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw KestrelError.shapeMismatch("gather needs rank ≥ 1, got a scalar.") }
        let rows = shape[0]
        if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
            throw KestrelError.invalidArgument("gather: row index \(bad) is outside 0..<\(rows) for shape \(shape).")
        }
        let rowSize = count / Swift.max(rows, 1)
        try Tensor.checkResult([indices.count] + shape.dropFirst(), operation: "gather")
        let result = try backend.makeStorage(checkedCount: indices.count * rowSize)
        backend.gatherRows(storage, rowSize: rowSize, indices: indices, result)
        let fullShape = shape
        let output = Tensor(shape: [indices.count] + shape.dropFirst(), storage: result)
        return Tensor.record(output, inputs: [self]) { gradient, _ in
            let full = Tensor.filled(fullShape, value: 0, on: gradient.device)
            gradient.backend.scatterAddRows(gradient.storage, rowSize: rowSize, indices: indices, full.storage)
            return [full]
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw KestrelError.invalidArgument("concatenate needs at least one tensor.") }
        guard first.rank >= 1 else {
            throw KestrelError.shapeMismatch("concatenate needs tensors of rank ≥ 1; got shapes \(tensors.map(\.shape)).")
        }
        let axis = try first.normalizedAxis(axis)
        let backend = try Tensor.backend(of: tensors, operation: "concatenate")
        for tensor in tensors where tensor.rank != first.rank
            || tensor.shape.enumerated().contains(where: { $0.offset != axis && $0.element != first.shape[$0.offset] }) {
            throw KestrelError.shapeMismatch(
                "concatenate along axis \(axis): shapes \(tensors.map(\.shape)) differ outside that axis.")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let sizes = tensors.map { $0.shape[axis] }
        let total = sizes.reduce(0, +)
        var outputShape = first.shape
        outputShape[axis] = total
        let result = backend.makeStorage(count: outer * total * inner)
        var start = 0
        for (tensor, size) in zip(tensors, sizes) {
            backend.copyBlocks(from: tensor.storage, offset: 0, stride: size * inner, to: result, offset: start * inner,
                               stride: total * inner, blocks: outer, length: size * inner)
            start += size
        }
        return Tensor.record(Tensor(shape: outputShape, storage: result), inputs: tensors) { gradient, needed in
            var offset = 0
            return sizes.enumerated().map { index, size in
                defer { offset += size }
                guard needed[index] else { return nil }
                var pieceShape = outputShape
                pieceShape[axis] = size
                let piece = gradient.backend.makeStorage(count: outer * size * inner)
                gradient.backend.copyBlocks(from: gradient.storage, offset: offset * inner, stride: total * inner, to: piece,
                                            offset: 0, stride: size * inner, blocks: outer, length: size * inner)
                return Tensor(shape: pieceShape, storage: piece)
            }
        }
    }

    /// `axis` with negative values counted from the end, validated against the rank.
    public func normalizedAxis(_ axis: Int) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            throw KestrelError.invalidArgument("axis \(axis) is out of range for a tensor of rank \(rank) (shape \(shape)).")
        }
        return resolved
    }
}
