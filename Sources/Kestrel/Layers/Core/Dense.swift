/// A fully connected layer: `activation(x · kernel + bias)` (Keras's `Dense`).
public final class Dense: Layer, @unchecked Sendable {
    /// Number of output units.
    public let units: Int
    public let activation: ActivationFunction
    public let useBias: Bool
    public let kernelInitializer: Initializer
    public let biasInitializer: Initializer
    public let kernelRegularizer: Regularizer?
    public let biasRegularizer: Regularizer?
    public let activityRegularizer: Regularizer?
    /// The [inputs, units] weight matrix, once built.
    public private(set) var kernel: Variable?
    /// The [units] bias, once built (when `useBias`).
    public private(set) var bias: Variable?

    /// Makes a dense layer with Keras's defaults (glorot_uniform kernel, zero bias, no activation).
    public init(_ units: Int, activation: ActivationFunction = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, name: String? = nil) {
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        self.kernelRegularizer = kernelRegularizer
        self.biasRegularizer = biasRegularizer
        self.activityRegularizer = activityRegularizer
        super.init(name: name)
    }

    public override func build(inputShape: [Int]) throws {
        guard units > 0 else { throw KestrelError.invalidArgument("Dense '\(name)': units must be positive, got \(units).") }
        guard let features = inputShape.last, features > 0 else {
            throw KestrelError.shapeMismatch("Dense '\(name)' needs inputs with a last dimension, got \(LayerNaming.format(inputShape)).")
        }
        kernel = try addWeight(name: "kernel", shape: [features, units], initializer: kernelInitializer, regularizer: kernelRegularizer)
        if useBias { bias = try addWeight(name: "bias", shape: [units], initializer: biasInitializer, regularizer: biasRegularizer) }
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] { Array(inputShape.dropLast()) + [units] }

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let output = try activation.apply(callBeforeActivation(input, training: training))
        if training, let activityRegularizer { activityLosses = [try activityRegularizer.penalty(output)] }
        return output
    }

    public override var fusableOutputActivation: ActivationFunction? {
        activation == .linear || activityRegularizer != nil ? nil : activation
    }

    public override func callBeforeActivation(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw KestrelError.invalidState("Dense '\(name)' was called before it was built.") }
        let features = kernel.shape[0]
        let flat = input.rank == 2 ? input : try input.reshaped([-1, features])
        let output = try Tensor.affine(flat, weight: kernel.tensor, bias: bias?.tensor)
        return input.rank == 2 ? output : try output.reshaped(Array(input.shape.dropLast()) + [units])
    }

    public override var config: LayerConfig {
        super.config.merging([
            "units": .int(units), "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
            "kernel_initializer": .string(kernelInitializer.kerasName), "bias_initializer": .string(biasInitializer.kerasName),
        ]) { $1 }
    }
}
