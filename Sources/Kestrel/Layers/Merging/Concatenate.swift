/// Joins its inputs along one axis (Keras's `Concatenate`); the other dimensions must agree.
public final class Concatenate: Merge, @unchecked Sendable {
    /// The axis to join along, counting the batch dimension (Keras's default -1, the features).
    public let axis: Int

    /// Keras's `Concatenate.from_config`.
    public required convenience init(config reader: KerasConfigReader) throws {
        self.init(axis: try reader.axis(), name: try reader.layerName())
    }

    /// Makes a concatenation along `axis` (negative counts from the end; 0, the batch, is not allowed).
    public init(axis: Int = -1, name: String? = nil) {
        self.axis = axis
        super.init(name: name)
        requireArgument(axis != 0, "axis", mustBe: "a feature axis (-1 for the last, or 1, 2, …); axis 0 is the batch, which cannot be joined",
                        got: axis)
    }

    /// `axis` as an index into the sample shape (without the batch dimension).
    private func sampleAxis(rank: Int) throws -> Int {
        let full = axis < 0 ? axis + rank + 1 : axis
        guard full >= 1, full <= rank else {
            throw KestrelError.invalidArgument(
                "Concatenate '\(name)': axis \(axis) is out of range for inputs of rank \(rank + 1) (the batch axis 0 cannot be joined)")
        }
        return full - 1
    }

    /// The output shape for inputs of `shapes`; throws naming the layer when they cannot be joined.
    public override func mergedShape(_ shapes: [[Int]]) throws -> [Int] {
        let rank = shapes[0].count
        let describedShapes = shapes.map { LayerNaming.format($0) }.joined(separator: " and ")
        guard shapes.allSatisfy({ $0.count == rank }) else {
            throw KestrelError.shapeMismatch("Concatenate '\(name)' needs inputs of equal rank, got \(describedShapes)")
        }
        let joined = try sampleAxis(rank: rank)
        var result = shapes[0]
        for shape in shapes.dropFirst() {
            for dimension in 0..<rank where dimension != joined && shape[dimension] != result[dimension] {
                throw KestrelError.shapeMismatch(
                    "Concatenate '\(name)' needs inputs that match except along axis \(axis), got \(describedShapes)")
            }
            result[joined] += shape[joined]
        }
        return result
    }

    /// Combines the inputs element-wise (with broadcasting); throws naming the layer when the shapes differ.
    public override func merge(_ inputs: [Tensor]) throws -> Tensor {
        try Tensor.concatenate(inputs, axis: try sampleAxis(rank: inputs[0].rank - 1) + 1)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig { super.config.merging(["axis": .int(axis)]) { $1 } }
}
