extension Tensor {
    /// Sums `self` (a gradient of a broadcast result) down to `targetShape`.
    func summed(toShape targetShape: [Int]) throws -> Tensor {
        if shape == targetShape { return self }
        let extra = rank - targetShape.count
        var axes = Array(0..<extra)
        for (index, dimension) in targetShape.enumerated() where dimension == 1 && shape[index + extra] != 1 {
            axes.append(index + extra)
        }
        return try sum(axes: axes).reshaped(targetShape)
    }

    private func broadcastShape(with other: Tensor, operation: String) throws -> [Int] {
        guard let shape = Broadcasting.shape(self.shape, other.shape) else {
            throw KestrelError.shapeMismatch(
                "\(operation): shapes \(self.shape) and \(other.shape) cannot be broadcast together; trailing dimensions must be equal or 1.")
        }
        try Tensor.checkResult(shape, operation: operation)
        _ = try Tensor.backend(of: [self, other], operation: operation)
        return shape
    }

    /// Elementwise sum with broadcasting.
    public func adding(_ other: Tensor) throws -> Tensor {
        let outputShape = try broadcastShape(with: other, operation: "add")
        let output = try Tensor.elementwise(.add, self, other, outputShape: outputShape)
        let (shapeA, shapeB) = (shape, other.shape)
        return Tensor.record(output, inputs: [self, other]) { gradient, needed in
            [needed[0] ? try gradient.summed(toShape: shapeA) : nil,
             needed[1] ? try gradient.summed(toShape: shapeB) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public func subtracting(_ other: Tensor) throws -> Tensor {
        let outputShape = try broadcastShape(with: other, operation: "subtract")
        let output = try Tensor.elementwise(.subtract, self, other, outputShape: outputShape)
        let (shapeA, shapeB) = (shape, other.shape)
        return Tensor.record(output, inputs: [self, other]) { gradient, needed in
            [needed[0] ? try gradient.summed(toShape: shapeA) : nil,
             needed[1] ? try gradient.negated().summed(toShape: shapeB) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public func multiplying(_ other: Tensor) throws -> Tensor {
        let outputShape = try broadcastShape(with: other, operation: "multiply")
        let output = try Tensor.elementwise(.multiply, self, other, outputShape: outputShape)
        let (a, b) = (detached, other.detached)
        return Tensor.record(output, inputs: [self, other]) { gradient, needed in
            [needed[0] ? try gradient.multiplying(b).summed(toShape: a.shape) : nil,
             needed[1] ? try gradient.multiplying(a).summed(toShape: b.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public func dividing(by other: Tensor) throws -> Tensor {
        let outputShape = try broadcastShape(with: other, operation: "divide")
        let output = try Tensor.elementwise(.divide, self, other, outputShape: outputShape)
        let (a, b) = (detached, other.detached)
        return Tensor.record(output, inputs: [self, other]) { gradient, needed in
            [needed[0] ? try gradient.dividing(by: b).summed(toShape: a.shape) : nil,
             needed[1] ? try gradient.multiplying(a).dividing(by: b.squared()).negated().summed(toShape: b.shape) : nil]
        }
    }

    /// Elementwise maximum with broadcasting (the gradient goes to the larger operand; ties to `self`).
    public func maximum(_ other: Tensor) throws -> Tensor {
        let outputShape = try broadcastShape(with: other, operation: "maximum")
        let output = try Tensor.elementwise(.maximum, self, other, outputShape: outputShape)
        let (a, b) = (detached, other.detached)
        return Tensor.record(output, inputs: [self, other]) { gradient, needed in
            let mask = try Tensor.elementwise(.greaterEqualMask, a, b, outputShape: outputShape)
            return [needed[0] ? try gradient.multiplying(mask).summed(toShape: a.shape) : nil,
                    needed[1] ? try gradient.multiplying(mask.unary(.oneMinus)).summed(toShape: b.shape) : nil]
        }
    }

    /// Elementwise minimum with broadcasting (the gradient goes to the smaller operand; ties to `self`).
    public func minimum(_ other: Tensor) throws -> Tensor {
        try negated().maximum(other.negated()).negated()
    }

    /// Element-wise sum with NumPy broadcasting; throws when the shapes do not broadcast.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.adding(rhs) }
    /// Element-wise difference with NumPy broadcasting; throws when the shapes do not broadcast.
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.subtracting(rhs) }
    /// Element-wise product with NumPy broadcasting; throws when the shapes do not broadcast.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.multiplying(rhs) }
    /// Element-wise quotient with NumPy broadcasting; throws when the shapes do not broadcast.
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.dividing(by: rhs) }

    /// Adds `rhs` to every element.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.addingScalar(rhs) }
    /// Adds `lhs` to every element.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs.addingScalar(lhs) }
    /// Subtracts `rhs` from every element.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.addingScalar(-rhs) }
    /// `lhs` minus each element.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.negated().addingScalar(lhs) }
    /// Multiplies every element by `rhs`.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.scaled(by: rhs) }
    /// Multiplies every element by `lhs`.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.scaled(by: lhs) }
    /// Divides every element by `rhs`.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.scaled(by: 1 / rhs) }
    public static prefix func - (operand: Tensor) -> Tensor { operand.negated() }

    /// `self + value`.
    public func addingScalar(_ value: Float) -> Tensor {
        Tensor.record(unary(.addScalar(value)), inputs: [self]) { gradient, _ in [gradient] }
    }

    /// `self * factor`.
    public func scaled(by factor: Float) -> Tensor {
        Tensor.record(unary(.scale(factor)), inputs: [self]) { gradient, _ in [gradient.scaled(by: factor)] }
    }

    /// `-self`.
    public func negated() -> Tensor { scaled(by: -1) }
}
