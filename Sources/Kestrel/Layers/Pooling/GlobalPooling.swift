/// What Keras's four global pooling layers share: channels-last inputs of one (`…1D`: [steps, features])
/// or two (`…2D`: [height, width, channels]) pooled axes, reduced to [features] (or kept as size 1 with
/// `keepDims`), and the `keepdims`/`data_format` config. Each subclass says how many axes it pools and
/// how (`pooled(_:)`).
public class GlobalPooling: Layer, KerasSerializable, @unchecked Sendable {
    /// Whether the output keeps the pooled axes as size 1 (Keras's `keepdims`).
    public let keepDims: Bool

    /// Makes the layer; `keepDims` keeps the pooled axes as size 1.
    public init(keepDims: Bool = false, inputShape: [Int]? = nil, name: String? = nil) {
        self.keepDims = keepDims
        super.init(name: name)
        inputShapeArgument = inputShape
    }

    /// Keras's `from_config` of the global pooling layers (`keepdims`, channels last).
    public required convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(keepDims: try reader.bool("keepdims", default: false), name: try reader.layerName())
    }

    /// How many axes after the batch axis are pooled (1 or 2).
    class var pooledAxes: Int { 2 }

    /// The pooled batch (the subclass's reduction).
    func pooled(_ input: Tensor) throws -> Tensor {
        throw KestrelError.invalidState("\(className) '\(name)' does not say how it pools.")
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        let pooled = Self.pooledAxes
        guard inputShape.count == pooled + 1 else {
            let expected = pooled == 1 ? "sequences of shape (steps, features)" : "images of shape (height, width, channels)"
            throw KestrelError.shapeMismatch("\(className) '\(name)' needs \(expected), got \(LayerNaming.format(inputShape)).")
        }
        return (keepDims ? Array(repeating: 1, count: pooled) : []) + [inputShape[pooled]]
    }

    /// The forward pass on a batch (the same in training and inference).
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { try pooled(input) }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["data_format": .string("channels_last"), "keepdims": .bool(keepDims)]) { $1 }
    }
}
