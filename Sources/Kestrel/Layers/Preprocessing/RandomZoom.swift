/// Zooms images in or out by random factors during training (Keras's `RandomZoom`: negative factors
/// zoom in, positive zoom out; `widthFactor` nil keeps the aspect ratio).
public final class RandomZoom: AugmentationLayer, @unchecked Sendable {
    /// Makes the layer; throws for factors outside Keras's allowed range.
    public init(heightFactor: FactorRange, widthFactor: FactorRange? = nil, fillMode: FillMode = .reflect,
                interpolation: Interpolation = .bilinear, seed: UInt64? = nil, fillValue: Float = 0, inputShape: [Int]? = nil, name: String? = nil) throws {
        let transform = try RandomZoomTransform(heightFactor: heightFactor, widthFactor: widthFactor, fillMode: fillMode,
                                                interpolation: interpolation, fillValue: fillValue)
        super.init(transform: transform, seed: seed, name: name)
        inputShapeArgument = inputShape
    }

    /// Keras's positional spelling, `RandomZoom(0.1)` (the height factor; the width follows it).
    public convenience init(_ heightFactor: FactorRange, widthFactor: FactorRange? = nil, fillMode: FillMode = .reflect,
                            interpolation: Interpolation = .bilinear, seed: UInt64? = nil, fillValue: Float = 0,
                            inputShape: [Int]? = nil, name: String? = nil) throws {
        try self.init(heightFactor: heightFactor, widthFactor: widthFactor, fillMode: fillMode, interpolation: interpolation,
                      seed: seed, fillValue: fillValue, inputShape: inputShape, name: name)
    }

    /// Keras's `RandomZoom` config (`height_factor`, `width_factor` or null, fill and interpolation).
    public override var config: LayerConfig {
        guard let zoom = transform as? RandomZoomTransform else { return super.config }
        return super.config.merging(Self.geometry(zoom).merging([
            "height_factor": Self.factor(zoom.heightFactor), "width_factor": zoom.widthFactor.map(Self.factor) ?? .null,
        ]) { $1 }) { $1 }
    }
}

extension RandomZoom: KerasSerializable {
    /// Keras's `RandomZoom.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        try self.init(heightFactor: try reader.factor("height_factor"), widthFactor: reader.has("width_factor") ? try reader.factor("width_factor") : nil,
                      fillMode: try reader.fillMode(), interpolation: try reader.interpolation(), seed: try reader.seed(),
                      fillValue: try reader.float("fill_value", default: 0), name: try reader.layerName())
    }
}
