/// One layer of a `ModelSpecification`: the layer's kind and its configuration, as plain data
/// (so a spec can be parsed, compared and printed before any weight exists).
public enum LayerSpecification: Sendable, Equatable {
    /// `Input(shape:)`: the shape of one sample, without the batch dimension.
    case input(shape: [Int])
    /// `Flatten()`.
    case flatten
    /// `Reshape(_:)`.
    case reshape(targetShape: [Int])
    /// `Rescaling(scale:offset:)`.
    case rescaling(scale: Float, offset: Float)
    /// `Dense(units, activation:, kernelRegularizer:)`.
    case dense(units: Int, activation: ActivationFunction, kernelRegularizer: Regularizer?)
    /// `Dropout(rate)`.
    case dropout(rate: Float)
    /// `Conv2D(filters, kernelSize:, strides:, padding:, activation:, kernelRegularizer:)`.
    case conv2D(filters: Int, kernelSize: WindowSize, strides: WindowSize, padding: Padding,
                activation: ActivationFunction, kernelRegularizer: Regularizer?)
    /// `DepthwiseConv2D(kernelSize:, strides:, padding:, depthMultiplier:, activation:)`.
    case depthwiseConv2D(kernelSize: WindowSize, strides: WindowSize, padding: Padding, depthMultiplier: Int,
                         activation: ActivationFunction)
    /// `SeparableConv2D(filters, kernelSize:, strides:, padding:, depthMultiplier:, activation:)`.
    case separableConv2D(filters: Int, kernelSize: WindowSize, strides: WindowSize, padding: Padding, depthMultiplier: Int,
                         activation: ActivationFunction)
    /// `MaxPooling2D(poolSize:, strides:, padding:)`.
    case maxPooling2D(poolSize: WindowSize, strides: WindowSize?, padding: Padding)
    /// `AveragePooling2D(poolSize:, strides:, padding:)`.
    case averagePooling2D(poolSize: WindowSize, strides: WindowSize?, padding: Padding)
    /// `GlobalAveragePooling2D()`.
    case globalAveragePooling2D
    /// `BatchNormalization(momentum:, epsilon:)`.
    case batchNormalization(momentum: Float, epsilon: Float)
    /// `Activation(_:)`.
    case activation(ActivationFunction)
    /// `ReLU()`.
    case relu
    /// `Softmax()`.
    case softmax
    /// A layer read from Keras's JSON (`{"class_name", "config"}`), built through `KerasLayerRegistry`
    /// with every setting Keras saved.
    case keras(ConfigValue)
    /// A whole model read from a Keras config (a functional `config.json`), used as one layer with
    /// fresh weights.
    case kerasModel(ConfigValue)
    /// A saved model (`.keras` file, weights included) used as one layer — a pretrained base under a
    /// new head. `frozen` freezes it all; `unfreezeTop` then makes its last N layers that have weights
    /// trainable again (fine-tuning).
    case savedModel(path: String, frozen: Bool, unfreezeTop: Int)

    /// A fresh Kestrel layer with this configuration, read from `kerasObject` by `KerasLayerRegistry` as a
    /// layer of a Keras file is; `number` (1-based position) appears in errors.
    public func makeLayer(number: Int = 0) throws -> Layer {
        switch self {
        case let .input(shape): return Input(shape: shape)
        case let .kerasModel(object): return try KerasModelConfig.model(from: object)
        case let .savedModel(path, frozen, unfreezeTop): return try Self.loadBase(path, frozen: frozen, unfreezeTop: unfreezeTop)
        default: return try KerasLayerRegistry.layer(from: kerasObject ?? .null, number: number)
        }
    }

    /// The layer as Keras's serialised `{"class_name", "config"}` object (only the settings the text spec
    /// gives; Keras's defaults fill the rest); nil for an input and a whole or saved model.
    public var kerasObject: ConfigValue? {
        func object(_ className: String, _ config: LayerConfig = [:]) -> ConfigValue {
            .object(["class_name": .string(className), "config": .object(config)])
        }
        func window(_ size: WindowSize) -> ConfigValue { .ints([size.height, size.width]) }
        func convolution(_ kernel: WindowSize, _ strides: WindowSize, _ padding: Padding, _ activation: ActivationFunction) -> LayerConfig {
            ["kernel_size": window(kernel), "strides": window(strides), "padding": .string(padding.rawValue), "activation": .string(activation.rawValue)]
        }
        func pooling(_ size: WindowSize, _ strides: WindowSize?, _ padding: Padding) -> LayerConfig {
            ["pool_size": window(size), "strides": strides.map(window) ?? .null, "padding": .string(padding.rawValue)]
        }
        switch self {
        case .input, .kerasModel, .savedModel: return nil
        case let .keras(value): return value
        case .flatten: return object("Flatten")
        case let .reshape(targetShape): return object("Reshape", ["target_shape": .ints(targetShape)])
        case let .rescaling(scale, offset): return object("Rescaling", ["scale": KerasObjects.number(scale), "offset": KerasObjects.number(offset)])
        case let .dense(units, activation, regularizer):
            return object("Dense", ["units": .int(units), "activation": .string(activation.rawValue), "kernel_regularizer": KerasObjects.serialize(regularizer)])
        case let .dropout(rate): return object("Dropout", ["rate": KerasObjects.number(rate)])
        case let .conv2D(filters, kernelSize, strides, padding, activation, regularizer):
            return object("Conv2D", convolution(kernelSize, strides, padding, activation).merging(
                ["filters": .int(filters), "kernel_regularizer": KerasObjects.serialize(regularizer)]) { $1 })
        case let .depthwiseConv2D(kernelSize, strides, padding, multiplier, activation):
            return object("DepthwiseConv2D", convolution(kernelSize, strides, padding, activation).merging(["depth_multiplier": .int(multiplier)]) { $1 })
        case let .separableConv2D(filters, kernelSize, strides, padding, multiplier, activation):
            return object("SeparableConv2D", convolution(kernelSize, strides, padding, activation).merging(
                ["filters": .int(filters), "depth_multiplier": .int(multiplier)]) { $1 })
        case let .maxPooling2D(poolSize, strides, padding): return object("MaxPooling2D", pooling(poolSize, strides, padding))
        case let .averagePooling2D(poolSize, strides, padding): return object("AveragePooling2D", pooling(poolSize, strides, padding))
        case .globalAveragePooling2D: return object("GlobalAveragePooling2D")
        case let .batchNormalization(momentum, epsilon):
            return object("BatchNormalization", ["momentum": KerasObjects.number(momentum), "epsilon": KerasObjects.number(epsilon)])
        case let .activation(function): return object("Activation", ["activation": .string(function.rawValue)])
        case .relu: return object("ReLU")
        case .softmax: return object("Softmax")
        }
    }

    /// A saved model used as one layer: `frozen` freezes it all; `unfreezeTop` then trains its top N layers with weights again.
    private static func loadBase(_ path: String, frozen: Bool, unfreezeTop: Int) throws -> Layer {
        let base = try loadModel(path, compile: false)
        if frozen { base.trainable = false }
        if unfreezeTop > 0 {
            let withWeights = base.layers.filter { !$0.weights.isEmpty }
            guard unfreezeTop <= withWeights.count else {
                throw KestrelError.invalidArgument(
                    "base=\(path): unfreeze=\(unfreezeTop) but the model has only \(withWeights.count) layers with weights (\(withWeights.map(\.name).joined(separator: ", "))).")
            }
            for layer in withWeights.suffix(unfreezeTop) { layer.trainable = true }
        }
        return base
    }
}
