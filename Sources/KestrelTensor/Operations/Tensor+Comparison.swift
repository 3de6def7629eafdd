extension Tensor {
    /// 1 where `self > other`, else 0 (broadcasting; no gradient).
    public func greater(_ other: Tensor) throws -> Tensor { try compare(other, "greater") { $0 > $1 } }
    /// 1 where `self >= other`, else 0.
    public func greaterEqual(_ other: Tensor) throws -> Tensor { try compare(other, "greaterEqual") { $0 >= $1 } }
    /// 1 where `self < other`, else 0.
    public func less(_ other: Tensor) throws -> Tensor { try compare(other, "less") { $0 < $1 } }
    /// 1 where `self <= other`, else 0.
    public func lessEqual(_ other: Tensor) throws -> Tensor { try compare(other, "lessEqual") { $0 <= $1 } }
    /// 1 where `self == other`, else 0.
    public func equal(_ other: Tensor) throws -> Tensor { try compare(other, "equal") { $0 == $1 } }
    /// 1 where `self != other`, else 0.
    public func notEqual(_ other: Tensor) throws -> Tensor { try compare(other, "notEqual") { $0 != $1 } }

    private func compare(_ other: Tensor, _ name: String, _ predicate: (Float, Float) -> Bool) throws -> Tensor {
        guard let outputShape = Broadcasting.shape(shape, other.shape) else {
            throw KestrelError.shapeMismatch("\(name): shapes \(shape) and \(other.shape) cannot be broadcast together.")
        }
        return Broadcasting.apply(self, other, outputShape: outputShape) { predicate($0, $1) ? 1 : 0 }
    }

    /// Picks `whenTrue` where `condition` is non-zero, else `whenFalse` (broadcasting; gradients flow to both branches).
    public static func `where`(_ condition: Tensor, _ whenTrue: Tensor, _ whenFalse: Tensor) throws -> Tensor {
        let mask = condition.mapped { $0 != 0 ? 1 : 0 }
        let inverse = mask.mapped { 1 - $0 }
        return try whenTrue.multiplying(mask).adding(whenFalse.multiplying(inverse))
    }

    /// Whether every element is finite (no NaN or ±Inf).
    public var isFinite: Bool {
        let pointer = buffer.pointer
        for index in 0..<count where !pointer[index].isFinite { return false }
        return true
    }
}
