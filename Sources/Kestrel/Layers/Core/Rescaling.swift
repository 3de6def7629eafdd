/// Multiplies inputs by `scale` and adds `offset` (Keras's `Rescaling(1/255)`).
public final class Rescaling: Layer, @unchecked Sendable {
    /// The factor applied first, e.g. 1/255.
    public let scale: Float
    /// The value added after scaling.
    public let offset: Float

    /// Makes a rescaling layer.
    public init(scale: Float, offset: Float = 0, inputShape: [Int]? = nil, name: String? = nil) {
        self.scale = scale
        self.offset = offset
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument(scale.isFinite, "scale", mustBe: "a finite number", got: scale)
        requireArgument(offset.isFinite, "offset", mustBe: "a finite number", got: offset)
    }

    /// Keras's positional spelling, `Rescaling(1.0 / 255, inputShape: [180, 180, 3])`.
    public convenience init(_ scale: Float, offset: Float = 0, inputShape: [Int]? = nil, name: String? = nil) {
        self.init(scale: scale, offset: offset, inputShape: inputShape, name: name)
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { input * scale + offset }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["scale": KerasObjects.number(scale), "offset": KerasObjects.number(offset)]) { $1 }
    }
}

extension Rescaling: KerasSerializable {
    /// Keras's `Rescaling.from_config` (one scale for all channels).
    public convenience init(config reader: KerasConfigReader) throws {
        guard reader.config["scale"]?.doubleValue != nil || !reader.has("scale") else {
            throw reader.fail("\"scale\" must be one number (per-channel scales are not supported)")
        }
        self.init(scale: try reader.float("scale"), offset: try reader.float("offset", default: 0), name: try reader.layerName())
    }
}
