extension Tensor {
    /// 1 where `self > other`, else 0 (broadcasting; no gradient).
    public func greater(_ other: Tensor) throws -> Tensor { try compare(other, "greater", .greater) }
    /// 1 where `self >= other`, else 0.
    public func greaterEqual(_ other: Tensor) throws -> Tensor { try compare(other, "greaterEqual", .greaterEqualMask) }
    /// 1 where `self < other`, else 0.
    public func less(_ other: Tensor) throws -> Tensor { try compare(other, "less", .less) }
    /// 1 where `self <= other`, else 0.
    public func lessEqual(_ other: Tensor) throws -> Tensor { try compare(other, "lessEqual", .lessEqual) }
    /// 1 where `self == other`, else 0.
    public func equal(_ other: Tensor) throws -> Tensor { try compare(other, "equal", .equal) }
    /// 1 where `self != other`, else 0.
    public func notEqual(_ other: Tensor) throws -> Tensor { try compare(other, "notEqual", .notEqual) }

    private func compare(_ other: Tensor, _ name: String, _ predicate: BinaryKernel) throws -> Tensor {
        guard let outputShape = Broadcasting.shape(shape, other.shape) else {
            throw KestrelError.shapeMismatch("\(name): shapes \(shape) and \(other.shape) cannot be broadcast together.")
        }
        try Tensor.checkResult(outputShape, operation: name)
        _ = try Tensor.backend(of: [self, other], operation: name)
        return try Tensor.elementwise(predicate, self, other, outputShape: outputShape)
    }

    /// Picks `whenTrue` where `condition` is non-zero, else `whenFalse` (broadcasting all three).
    /// Gradients flow to the branch that was picked; values of the other branch (even NaN or ±Inf) never
    /// reach the result.
    public static func `where`(_ condition: Tensor, _ whenTrue: Tensor, _ whenFalse: Tensor) throws -> Tensor {
        guard let branches = Broadcasting.shape(whenTrue.shape, whenFalse.shape),
              let outputShape = Broadcasting.shape(condition.shape, branches) else {
            throw KestrelError.shapeMismatch(
                "where: condition \(condition.shape), whenTrue \(whenTrue.shape) and whenFalse \(whenFalse.shape) cannot be broadcast together.")
        }
        try checkResult(outputShape, operation: "where")
        _ = try backend(of: [condition, whenTrue, whenFalse], operation: "where")
        let mask = try condition.broadcast(to: outputShape).unary(.nonZero)
        let picked = try elementwise(.keepWhere, mask, whenTrue.broadcast(to: outputShape), outputShape: outputShape)
        let output = try elementwise(.dropWhere, mask, whenFalse.broadcast(to: outputShape), outputShape: outputShape)
        let result = try elementwise(.add, picked, output, outputShape: outputShape)
        let (trueShape, falseShape) = (whenTrue.shape, whenFalse.shape)
        return record(result, inputs: [condition, whenTrue, whenFalse]) { gradient, needed in
            [nil,
             needed[1] ? try elementwise(.keepWhere, mask, gradient, outputShape: outputShape)
                 .summed(toShape: trueShape) : nil,
             needed[2] ? try elementwise(.dropWhere, mask, gradient, outputShape: outputShape)
                 .summed(toShape: falseShape) : nil]
        }
    }

    /// The values repeated along broadcast dimensions to fill `outputShape` (no gradient; the shapes
    /// must be broadcast-compatible).
    func broadcast(to outputShape: [Int]) throws -> Tensor {
        if shape == outputShape { return detached }
        return try Tensor.elementwise(.first, self, Tensor.filled([], value: 0, on: device), outputShape: outputShape)
    }

    /// Whether every element is finite (no NaN or ±Inf).
    public var isFinite: Bool { firstNonFiniteIndex() == nil }

    /// The flat index of the first NaN or ±Inf element, or nil when all are finite (one pass over
    /// memory on all cores on the CPU).
    public func firstNonFiniteIndex() -> Int? {
        backend.firstNonFiniteIndex(storage)
    }
}
