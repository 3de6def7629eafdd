/// Reshapes each sample to `targetShape` (one dimension may be -1), as Keras's `Reshape`.
public final class Reshape: Layer, @unchecked Sendable {
    /// The shape of one output sample.
    public let targetShape: [Int]

    /// Makes a reshape layer.
    public init(_ targetShape: [Int], inputShape: [Int]? = nil, name: String? = nil) {
        self.targetShape = targetShape
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument(targetShape.allSatisfy { $0 > 0 || $0 == -1 } && targetShape.filter { $0 == -1 }.count <= 1,
                        "targetShape", mustBe: "positive dimensions with at most one -1", got: targetShape)
        requireArgument(Tensor.checkedElementCount(targetShape.filter { $0 != -1 }) != nil, "targetShape",
                        mustBe: "a shape whose element count fits in Int", got: targetShape)
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        try validateArguments()
        guard let total = Tensor.checkedElementCount(inputShape),
              let known = Tensor.checkedElementCount(targetShape.filter { $0 != -1 }) else {
            throw KestrelError.shapeMismatch("Reshape '\(name)': shape \(LayerNaming.format(inputShape, batch: false)) or \(LayerNaming.format(targetShape, batch: false)) has too many elements to count.")
        }
        var resolved = targetShape
        if let unknown = targetShape.firstIndex(of: -1), known > 0 { resolved[unknown] = total / known }
        guard Tensor.checkedElementCount(resolved) == total, targetShape.filter({ $0 == -1 }).count <= 1 else {
            throw KestrelError.shapeMismatch(
                "Reshape '\(name)': cannot reshape samples of shape \(LayerNaming.format(inputShape, batch: false)) (\(total) values) to \(LayerNaming.format(targetShape, batch: false)).")
        }
        return resolved
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try input.reshaped([input.shape[0]] + computeOutputShape(Array(input.shape.dropFirst())))
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig { super.config.merging(["target_shape": .ints(targetShape)]) { $1 } }
}

extension Reshape: KerasSerializable {
    /// Keras's `Reshape.from_config` (one size may be -1).
    public convenience init(config reader: KerasConfigReader) throws {
        guard let shape = try reader.ints("target_shape", allowUnknown: true) else { throw reader.fail("\"target_shape\" is missing") }
        guard KerasModelConfig.product(shape.filter { $0 > 0 }) != nil else {
            throw reader.fail("\"target_shape\" \(shape) holds more values than any model can")
        }
        self.init(shape, name: try reader.layerName())
    }
}
