/// Randomly flips images horizontally and/or vertically during training (Keras's `RandomFlip`;
/// mode "horizontal", "vertical" or "horizontal_and_vertical", the default).
public final class RandomFlip: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer.
    public init(_ mode: FlipMode = .horizontalAndVertical, seed: UInt64? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        super.init(transform: RandomFlipTransform(mode: mode), seed: seed, name: name)
        inputShapeArgument = inputShape
    }

    /// Keras's spelling, `RandomFlip("horizontal")`: "horizontal", "vertical" or "horizontal_and_vertical". Another
    /// string is an argument problem naming `mode` when the layer is added or built (no silent default).
    public convenience init(_ mode: String, seed: UInt64? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.init(FlipMode(rawValue: mode) ?? .horizontalAndVertical, seed: seed, inputShape: inputShape, name: name)
        requireArgument(FlipMode(rawValue: mode) != nil, "mode",
                        mustBe: "\"horizontal\", \"vertical\" or \"horizontal_and_vertical\"", got: "\"\(mode)\"")
    }

    /// Keras's `RandomFlip` config (`mode`).
    public override var config: LayerConfig {
        let mode = (transform as? RandomFlipTransform)?.mode ?? .horizontalAndVertical
        return super.config.merging(["mode": .string(mode.rawValue)]) { $1 }
    }
}

extension RandomFlip: KerasSerializable {
    /// Keras's `RandomFlip.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        let mode = try reader.string("mode", default: "horizontal_and_vertical")
        guard let flip = FlipMode(rawValue: mode) else {
            throw reader.fail("\"mode\" '\(mode)' is not one of horizontal, vertical, horizontal_and_vertical")
        }
        self.init(flip, seed: try reader.seed(), name: try reader.layerName())
    }
}
