/// Rectified linear unit layer with Keras's options: `min(max(x, threshold) …, maxValue)` and a
/// slope for negative inputs.
public final class ReLU: Layer, @unchecked Sendable {
    /// The largest output (nil for none).
    public let maxValue: Float?
    /// The slope below `threshold` (0 for plain ReLU).
    public let negativeSlope: Float
    /// Values below this are set to `negativeSlope` × (x − threshold).
    public let threshold: Float

    /// Makes a ReLU layer (defaults: plain max(x, 0)).
    public init(maxValue: Float? = nil, negativeSlope: Float = 0, threshold: Float = 0, inputShape: [Int]? = nil, name: String? = nil) {
        self.maxValue = maxValue
        self.negativeSlope = negativeSlope
        self.threshold = threshold
        super.init(name: name)
        inputShapeArgument = inputShape
        if let maxValue { requireArgument(maxValue >= 0, "maxValue", mustBe: "≥ 0 (or nil for none)", got: maxValue) }
        requireArgument(negativeSlope >= 0 && negativeSlope.isFinite, "negativeSlope", mustBe: "a finite number ≥ 0", got: negativeSlope)
        requireArgument(threshold >= 0 && threshold.isFinite, "threshold", mustBe: "a finite number ≥ 0", got: threshold)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["max_value": maxValue.map(KerasObjects.number) ?? .null, "negative_slope": KerasObjects.number(negativeSlope),
                              "threshold": KerasObjects.number(threshold)]) { $1 }
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        var output: Tensor
        if negativeSlope == 0 && threshold == 0 {
            output = input.relu()
        } else {
            let above = try input.greaterEqual(Tensor(scalar: threshold))
            output = try Tensor.where(above, input, (input - threshold) * negativeSlope)
        }
        if let maxValue { output = try output.minimum(Tensor(scalar: maxValue)) }
        return output
    }
}

extension ReLU: KerasSerializable {
    /// Keras's `ReLU.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(maxValue: reader.has("max_value") ? try reader.float("max_value") : nil, negativeSlope: try reader.float("negative_slope", default: 0),
                  threshold: try reader.float("threshold", default: 0), name: try reader.layerName())
    }
}
