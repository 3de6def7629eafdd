/// Normalises each sample over its last axis to mean 0 and variance 1, then scales by `gamma` and
/// shifts by `beta` (Keras's `LayerNormalization`); unlike `BatchNormalization` it uses no batch
/// statistics, so training and inference compute the same thing.
public final class LayerNormalization: Layer, @unchecked Sendable {
    /// The axis normalised over (Keras's default -1, the features).
    public let axis: Int
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// Whether to add the learned offset `beta`.
    public let center: Bool
    /// Whether to multiply by the learned scale `gamma`.
    public let scale: Bool
    /// The learned scale (one per feature), when `scale`.
    public private(set) var gamma: Variable?
    /// The learned offset (one per feature), when `center`.
    public private(set) var beta: Variable?

    /// Makes a layer-normalisation layer with Keras's defaults (axis -1, epsilon 0.001).
    public init(axis: Int = -1, epsilon: Float = 0.001, center: Bool = true, scale: Bool = true, inputShape: [Int]? = nil, name: String? = nil) {
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument(epsilon > 0 && epsilon.isFinite, "epsilon", mustBe: "a finite number > 0 (Keras's default 0.001)", got: epsilon)
        requireArgument(axis != 0, "axis", mustBe: "a feature axis (-1, the last); axis 0 is the batch", got: axis)
    }

    /// Creates the layer's weights for samples of `inputShape`; throws naming the layer when the shape does not fit.
    public override func build(inputShape: [Int]) throws {
        guard axis == -1 || axis == inputShape.count else {
            throw KestrelError.invalidArgument(
                "LayerNormalization '\(name)': only the last axis (-1) is supported, got axis \(axis) for inputs \(LayerNaming.format(inputShape)).")
        }
        guard let features = inputShape.last, features > 0 else {
            throw KestrelError.shapeMismatch("LayerNormalization '\(name)' needs inputs with a feature axis, got \(LayerNaming.format(inputShape)).")
        }
        if scale { gamma = try addWeight(name: "gamma", shape: [features], initializer: .ones) }
        if center { beta = try addWeight(name: "beta", shape: [features], initializer: .zeros) }
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let last = input.rank - 1
        let mean = try input.mean(axes: [last], keepDims: true)
        let centered = try input - mean
        let variance = try centered.squared().mean(axes: [last], keepDims: true)
        var output = try centered / (variance + epsilon).sqrt()
        if let gamma { output = try output * gamma.tensor }
        if let beta { output = try output + beta.tensor }
        return output
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging([
            // Keras keeps the Python float given; the shortest decimal of the Float is that number.
            "axis": .int(axis), "epsilon": .double(Double(String(epsilon)) ?? Double(epsilon)), "center": .bool(center), "scale": .bool(scale),
            "rms_scaling": .bool(false), "beta_initializer": KerasObjects.serialize(.zeros), "gamma_initializer": KerasObjects.serialize(.ones),
            "beta_regularizer": .null, "gamma_regularizer": .null, "beta_constraint": .null, "gamma_constraint": .null,
        ]) { $1 }
    }
}

extension LayerNormalization: KerasSerializable {
    /// Keras's `LayerNormalization.from_config` (last axis, no RMS scaling).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireLastAxis()
        try reader.requireAbsent(["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"])
        try reader.require("rms_scaling", equals: .bool(false))
        self.init(epsilon: try reader.epsilon(), center: try reader.bool("center", default: true),
                  scale: try reader.bool("scale", default: true), name: try reader.layerName())
    }
}
