/// A fully connected layer: `activation(x · kernel + bias)` (Keras's `Dense`).
public final class Dense: KernelLayer, @unchecked Sendable {
    /// Number of output units.
    public let units: Int

    /// Makes a dense layer with Keras's defaults (glorot_uniform kernel, zero bias, no activation).
    /// `inputShape` (or Keras's `inputDim`, which wins as in Keras) declares the model's input when the layer
    /// comes first in a `Sequential`.
    public init(_ units: Int, activation: ActivationFunction = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, inputShape: [Int]? = nil, inputDim: Int? = nil, name: String? = nil) {
        self.units = units
        super.init(activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                   biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                   activityRegularizer: activityRegularizer, name: name)
        inputShapeArgument = inputDim.map { [$0] } ?? inputShape
        requireArgument(units > 0, "units", mustBe: "a positive integer", got: units)
    }

    /// Creates the layer's weights for samples of `inputShape`; throws naming the layer when the shape does not fit.
    public override func build(inputShape: [Int]) throws {
        guard let features = inputShape.last, features > 0 else {
            throw KestrelError.shapeMismatch("Dense '\(name)' needs inputs with a last dimension, got \(LayerNaming.format(inputShape)).")
        }
        try buildKernelAndBias(kernelShape: [features, units], biasCount: units)
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] { Array(inputShape.dropLast()) + [units] }

    /// The forward pass without the final activation, which `fit` fuses into the loss.
    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        let kernel = try builtKernel()
        let features = kernel.shape[0]
        let flat = input.rank == 2 ? input : try input.reshaped([-1, features])
        let output = try Tensor.affine(flat, weight: kernel.tensor, bias: bias?.tensor)
        return input.rank == 2 ? output : try output.reshaped(Array(input.shape.dropLast()) + [units])
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        var config = super.config.merging(["units": .int(units), "quantization_config": .null]) { $1 }
        // Keras 3's Dense writes activity_regularizer only when one is set.
        if let activityRegularizer { config["activity_regularizer"] = KerasObjects.serialize(activityRegularizer) }
        return config
    }
}

extension Dense: KerasSerializable {
    /// Keras's `Dense.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireNoKernelExtras()
        self.init(try reader.int("units"), activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                  kernelInitializer: try reader.initializer("kernel_initializer", default: .glorotUniform),
                  biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                  kernelRegularizer: try reader.regularizer("kernel_regularizer"), biasRegularizer: try reader.regularizer("bias_regularizer"),
                  activityRegularizer: try reader.regularizer("activity_regularizer"), name: try reader.layerName())
    }
}
