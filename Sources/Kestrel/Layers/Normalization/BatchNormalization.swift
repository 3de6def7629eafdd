/// Normalises each feature (last axis) with batch statistics in training and moving statistics at
/// inference, then scales by `gamma` and shifts by `beta` (Keras's `BatchNormalization`).
public final class BatchNormalization: Layer, @unchecked Sendable {
    /// The weight of the old value in the moving mean and variance updates (Keras default 0.99).
    public let momentum: Float
    /// Added to the variance before its square root (Keras default 0.001).
    public let epsilon: Float
    /// Whether the learned offset `beta` is added.
    public let center: Bool
    /// Whether the learned factor `gamma` multiplies.
    public let scale: Bool
    public private(set) var gamma: Variable?
    public private(set) var beta: Variable?
    public private(set) var movingMean: Variable?
    public private(set) var movingVariance: Variable?

    /// Makes a batch-normalisation layer with Keras's defaults (momentum 0.99, epsilon 0.001).
    public init(momentum: Float = 0.99, epsilon: Float = 0.001, center: Bool = true, scale: Bool = true, inputShape: [Int]? = nil, name: String? = nil) {
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument((0...1).contains(momentum), "momentum", mustBe: "in [0, 1]", got: momentum)
        requireArgument(epsilon > 0 && epsilon.isFinite, "epsilon", mustBe: "a finite number > 0", got: epsilon)
    }

    /// Creates the layer's weights for samples of `inputShape`; throws naming the layer when the shape does not fit.
    public override func build(inputShape: [Int]) throws {
        guard let features = inputShape.last else {
            throw KestrelError.shapeMismatch("BatchNormalization '\(name)' needs inputs with a feature axis, got \(LayerNaming.format(inputShape)).")
        }
        if scale { gamma = try addWeight(name: "gamma", shape: [features], initializer: .ones) }
        if center { beta = try addWeight(name: "beta", shape: [features], initializer: .zeros) }
        movingMean = try addWeight(name: "moving_mean", shape: [features], initializer: .zeros, trainable: false)
        movingVariance = try addWeight(name: "moving_variance", shape: [features], initializer: .ones, trainable: false)
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let movingMean, let movingVariance else {
            throw KestrelError.invalidState("BatchNormalization '\(name)' was called before it was built.")
        }
        let axes = Array(0..<(input.rank - 1))
        let mean: Tensor, variance: Tensor
        if training && trainable {  // a frozen BatchNormalization runs in inference mode (Keras 3)
            mean = try input.mean(axes: axes)
            variance = try (input - mean).squared().mean(axes: axes)
            let (batchMean, batchVariance) = (mean.detached, variance.detached)
            let keep = momentum
            // Keras's moving average, `moving·momentum + batch·(1 − momentum)`, through engine operations.
            try movingMean.assign(try movingMean.value.scaled(by: keep) + batchMean.scaled(by: 1 - keep))
            try movingVariance.assign(try movingVariance.value.scaled(by: keep) + batchVariance.scaled(by: 1 - keep))
        } else {
            mean = movingMean.value
            variance = movingVariance.value
        }
        var output = try (input - mean) / (variance + epsilon).sqrt()
        if let gamma { output = try output * gamma.tensor }
        if let beta { output = try output + beta.tensor }
        return output
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging([
            "axis": .int(-1), "momentum": KerasObjects.number(momentum), "epsilon": KerasObjects.number(epsilon),
            "center": .bool(center), "scale": .bool(scale),
            "beta_initializer": KerasObjects.serialize(.zeros), "gamma_initializer": KerasObjects.serialize(.ones),
            "moving_mean_initializer": KerasObjects.serialize(.zeros), "moving_variance_initializer": KerasObjects.serialize(.ones),
            "beta_regularizer": .null, "gamma_regularizer": .null, "beta_constraint": .null, "gamma_constraint": .null,
            "synchronized": .bool(false), "renorm": .bool(false), "renorm_clipping": .null, "renorm_momentum": .double(0.99),
        ]) { $1 }
    }
}

extension BatchNormalization: KerasSerializable {
    /// Keras's `BatchNormalization.from_config` (last axis, no renormalisation).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireLastAxis()
        try reader.requireAbsent(["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "renorm_clipping"])
        try reader.require("renorm", equals: .bool(false))
        self.init(momentum: try reader.float("momentum", default: 0.99), epsilon: try reader.epsilon(), center: try reader.bool("center", default: true),
                  scale: try reader.bool("scale", default: true), name: try reader.layerName())
    }
}
