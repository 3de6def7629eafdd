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

    /// A fresh Kestrel layer with this configuration.
    public func makeLayer() throws -> Layer {
        switch self {
        case let .input(shape): return Input(shape: shape)
        case .flatten: return Flatten()
        case let .reshape(targetShape): return Reshape(targetShape)
        case let .rescaling(scale, offset): return Rescaling(scale: scale, offset: offset)
        case let .dense(units, activation, regularizer):
            return Dense(units, activation: activation, kernelRegularizer: regularizer)
        case let .dropout(rate): return Dropout(rate)
        case let .conv2D(filters, kernelSize, strides, padding, activation, regularizer):
            return Conv2D(filters, kernelSize: kernelSize, strides: strides, padding: PaddingArgument(padding), activation: activation,
                          kernelRegularizer: regularizer)
        case let .depthwiseConv2D(kernelSize, strides, padding, multiplier, activation):
            return DepthwiseConv2D(kernelSize: kernelSize, strides: strides, padding: PaddingArgument(padding), depthMultiplier: multiplier,
                                   activation: activation)
        case let .separableConv2D(filters, kernelSize, strides, padding, multiplier, activation):
            return SeparableConv2D(filters, kernelSize: kernelSize, strides: strides, padding: PaddingArgument(padding), depthMultiplier: multiplier,
                                   activation: activation)
        case let .maxPooling2D(poolSize, strides, padding):
            return MaxPooling2D(poolSize: poolSize, strides: strides, padding: PaddingArgument(padding))
        case let .averagePooling2D(poolSize, strides, padding):
            return AveragePooling2D(poolSize: poolSize, strides: strides, padding: PaddingArgument(padding))
        case .globalAveragePooling2D: return GlobalAveragePooling2D()
        case let .batchNormalization(momentum, epsilon): return BatchNormalization(momentum: momentum, epsilon: epsilon)
        case let .activation(function): return Activation(function)
        case .relu: return ReLU()
        case .softmax: return Softmax()
        case let .keras(object): return try KerasLayerRegistry.layer(from: object, number: 0)
        case let .kerasModel(object): return try KerasModelConfig.model(from: object)
        case let .savedModel(path, frozen, unfreezeTop):
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
}
