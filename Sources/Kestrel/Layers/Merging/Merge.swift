/// The base of layers that combine several tensors into one (Keras's `Merge`): `Add`, `Subtract`,
/// `Multiply`, `Average`, `Maximum`, `Minimum`, `Concatenate`. Call them on a list:
/// `Add()([x, shortcut])` while building a model, or `try layer([a, b])` on values.
open class Merge: Layer, KerasSerializable, @unchecked Sendable {
    /// Keras's `from_config` of a merge layer (its name only; `Concatenate` reads its axis too).
    public required convenience init(config reader: KerasConfigReader) throws {
        self.init(name: try reader.layerName())
    }

    /// The smallest and largest number of tensors the layer accepts.
    open var inputCountRange: ClosedRange<Int> { 2...Int.max }

    /// The output shape (without batch) for inputs of `shapes`; the layer counts as built afterwards.
    public func outputShape(forInputs shapes: [[Int]]) throws -> [Int] {
        try validateArguments()
        guard inputCountRange.contains(shapes.count) else {
            let expected = inputCountRange.upperBound == inputCountRange.lowerBound
                ? "exactly \(inputCountRange.lowerBound)" : "at least \(inputCountRange.lowerBound)"
            throw KestrelError.invalidArgument(
                "\(className) '\(name)' takes \(expected) tensors, got \(shapes.count)")
        }
        let shape = try mergedShape(shapes)
        if builtInputShape == nil { builtInputShape = shapes[0] }
        return shape
    }

    /// The output shape for `shapes`; by default Keras's element-wise rule (equal dimensions, or 1).
    open func mergedShape(_ shapes: [[Int]]) throws -> [Int] {
        var result = shapes[0]
        for shape in shapes.dropFirst() {
            let rank = max(result.count, shape.count)
            let left = Array(repeating: 1, count: rank - result.count) + result
            let right = Array(repeating: 1, count: rank - shape.count) + shape
            result = try zip(left, right).map { pair in
                if pair.0 == pair.1 || pair.1 == 1 { return pair.0 }
                if pair.0 == 1 { return pair.1 }
                throw KestrelError.shapeMismatch(
                    "\(className) '\(name)' needs inputs of equal shapes, got \(shapes.map { LayerNaming.format($0) }.joined(separator: " and "))")
            }
        }
        return result
    }

    /// Combines the values (each with the batch dimension first).
    open func merge(_ inputs: [Tensor]) throws -> Tensor { inputs[0] }

    /// Combines a list of batches, checking their count and shapes first.
    public func callAsFunction(_ inputs: [Tensor], training: Bool = false) throws -> Tensor {
        guard inputs.allSatisfy({ $0.rank >= 1 }) else {
            throw KestrelError.shapeMismatch("\(className) '\(name)' needs batches of inputs, got a scalar.")
        }
        let batchSizes = Set(inputs.map { $0.shape[0] })
        guard batchSizes.count <= 1 else {
            throw KestrelError.shapeMismatch(
                "\(className) '\(name)' got inputs with different batch sizes: \(inputs.map { "\($0.shape)" }.joined(separator: " and ")).")
        }
        _ = try outputShape(forInputs: inputs.map { Array($0.shape.dropFirst()) })
        activityLosses = []
        return try merge(inputs)
    }

    /// A merge layer needs a list of tensors, not one.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        throw KestrelError.invalidArgument("\(className) '\(name)' merges a list of tensors; call it as layer([a, b]).")
    }
}
