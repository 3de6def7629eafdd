import Synchronization
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
        return Tensor.elementwise(predicate, self, other, outputShape: outputShape)
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
        let mask = condition.broadcast(to: outputShape).unary(.nonZero)
        let picked = elementwise(.keepWhere, mask, whenTrue.broadcast(to: outputShape), outputShape: outputShape)
        let output = elementwise(.dropWhere, mask, whenFalse.broadcast(to: outputShape), outputShape: outputShape)
        let result = elementwise(.add, picked, output, outputShape: outputShape)
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
    func broadcast(to outputShape: [Int]) -> Tensor {
        if shape == outputShape { return detached }
        return Tensor.elementwise(.first, self, Tensor(scalar: 0), outputShape: outputShape)
    }

    /// Whether every element is finite (no NaN or ±Inf).
    public var isFinite: Bool { firstNonFiniteIndex() == nil }

    /// The flat index of the first NaN or ±Inf element, or nil when all are finite.
    ///
    /// Checks blocks with vector arithmetic (`x - x` is 0 for finite `x` and NaN otherwise) on all
    /// cores, so validating a whole training set costs about one pass over memory.
    public func firstNonFiniteIndex() -> Int? {
        let pointer = UnsafePointer(buffer.pointer), count = self.count
        let found = Mutex(Int.max)
        Parallel.forEachRange(count: count, minimumPerThread: 1 << 18) { range in
            let blockSize = 4096
            var blockStart = range.lowerBound
            while blockStart < range.upperBound {
                let blockEnd = Swift.min(blockStart + blockSize, range.upperBound)
                if !Tensor.allFinite(pointer, blockStart..<blockEnd) {
                    let index = (blockStart..<blockEnd).first { !pointer[$0].isFinite } ?? blockStart
                    found.withLock { $0 = Swift.min($0, index) }
                    return
                }
                blockStart = blockEnd
            }
        }
        let index = found.withLock { $0 }
        return index == Int.max ? nil : index
    }

    /// Whether `pointer[range]` holds only finite values.
    private static func allFinite(_ pointer: UnsafePointer<Float>, _ range: Range<Int>) -> Bool {
        typealias Lanes = SIMD8<Float>
        var accumulator = Lanes()
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let values = UnsafeRawPointer(pointer + index).loadUnaligned(as: Lanes.self)
            accumulator += values - values
            index += 8
        }
        while index < range.upperBound {
            guard pointer[index].isFinite else { return false }
            index += 1
        }
        return accumulator == Lanes()
    }
}
