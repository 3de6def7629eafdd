import Kestrel

/// A `TrainingRecipe` written out for people to paste: the `kestrel fit` text spec and command,
/// and the Swift code of the model and its `fit` call.
public enum RecipeText {
    /// The model as `kestrel fit --model` text (`flatten, dense 128 relu, dense 10 softmax`).
    public static func specification(_ specification: ModelSpecification) -> String {
        specification.layers.map(layerText).joined(separator: ", ")
    }

    static func layerText(_ layer: LayerSpecification) -> String {
        func regularizer(_ value: Regularizer?) -> String {
            guard let value else { return "" }
            return (value.l1 > 0 ? " l1=\(number(Double(value.l1)))" : "") + (value.l2 > 0 ? " l2=\(number(Double(value.l2)))" : "")
        }
        func window(_ size: WindowSize) -> String { size.height == size.width ? "\(size.height)" : "\(size.height)x\(size.width)" }
        switch layer {
        case let .input(shape): return "input " + shape.map(String.init).joined(separator: "x")
        case .flatten: return "flatten"
        case let .reshape(shape): return "reshape " + shape.map(String.init).joined(separator: "x")
        case let .rescaling(scale, offset): return "rescaling \(number(Double(scale)))" + (offset != 0 ? " \(number(Double(offset)))" : "")
        case let .dense(units, activation, reg): return "dense \(units) \(activation.rawValue)" + regularizer(reg)
        case let .dropout(rate): return "dropout \(number(Double(rate)))"
        case let .conv2D(filters, kernel, strides, padding, activation, reg):
            return "conv2d \(filters) \(window(kernel)) \(activation.rawValue) \(padding)" + (strides.height != 1 || strides.width != 1 ? " strides=\(window(strides))" : "") + regularizer(reg)
        case let .depthwiseConv2D(kernel, strides, padding, multiplier, activation):
            return "depthwiseconv2d \(window(kernel)) \(activation.rawValue) \(padding)" + (strides.height != 1 || strides.width != 1 ? " strides=\(window(strides))" : "")
                + (multiplier != 1 ? " multiplier=\(multiplier)" : "")
        case let .separableConv2D(filters, kernel, strides, padding, multiplier, activation):
            return "separableconv2d \(filters) \(window(kernel)) \(activation.rawValue) \(padding)" + (strides.height != 1 || strides.width != 1 ? " strides=\(window(strides))" : "")
                + (multiplier != 1 ? " multiplier=\(multiplier)" : "")
        case let .maxPooling2D(pool, strides, padding):
            return "maxpool \(window(pool)) \(padding)" + (strides.map { " strides=\(window($0))" } ?? "")
        case let .averagePooling2D(pool, strides, padding):
            return "avgpool \(window(pool)) \(padding)" + (strides.map { " strides=\(window($0))" } ?? "")
        case .globalAveragePooling2D: return "globalavgpool"
        case let .batchNormalization(momentum, epsilon): return "batchnorm momentum=\(number(Double(momentum))) epsilon=\(number(Double(epsilon)))"
        case let .activation(function): return function.rawValue
        case .relu: return "relu"
        case .softmax: return "softmax"
        case .keras: return "<a Keras-config layer: pass the config .json as --model>"
        case .kerasModel: return "<a Keras functional config: pass the config .json as --model>"
        case let .savedModel(path, frozen, unfreezeTop):
            return "base=\(path)" + (frozen ? " frozen" : "") + (unfreezeTop > 0 ? " unfreeze=\(unfreezeTop)" : "")
        }
    }

    /// The `kestrel fit` command training `recipe` on `dataset`.
    public static func fitCommand(_ recipe: TrainingRecipe, dataset: String) -> String {
        var parts = ["kestrel fit", "--model \"\(specification(recipe.specification))\"", "--dataset \(dataset)",
                     "--epochs \(recipe.epochs)", "--batch-size \(recipe.batchSize)", "--optimizer \(recipe.optimizer)"]
        if let rate = recipe.learningRate { parts.append("--learning-rate \(number(rate))") }
        if recipe.validationSplit != 0.2 { parts.append("--validation-split \(number(recipe.validationSplit))") }
        if let stopping = recipe.callbacks.earlyStopping { parts.append("--early-stopping \(stopping.monitor):\(stopping.patience)") }
        if let reduce = recipe.callbacks.reduceLR {
            parts.append("--reduce-lr \(reduce.monitor):\(number(reduce.factor)):\(reduce.patience)" + (reduce.minLR > 0 ? ":\(number(reduce.minLR))" : ""))
        }
        if let augmentation = recipe.augmentation { parts.append("--augment \(augmentation)") }
        return parts.joined(separator: " ")
    }

    /// Swift code building, compiling and fitting the recipe's model (Keras names, Kestrel spelling).
    public static func swiftSnippet(_ recipe: TrainingRecipe) -> String {
        var lines = ["let model = try Sequential {"]
        if let augmentation = recipe.augmentation { lines.append("    try RandomAugmentation(parsing: \"\(augmentation)\")") }
        lines += recipe.specification.layers.map { "    " + swiftLayer($0) }
        lines.append("}")
        let rate = recipe.learningRate.map { "learningRate: \(number($0))" } ?? ""
        lines.append("try model.compile(optimizer: .\(optimizerFactory(recipe.optimizer))(\(rate)), loss: \"\(recipe.loss)\", metrics: [\"accuracy\"])")
        var callbacks: [String] = []
        if let stopping = recipe.callbacks.earlyStopping {
            callbacks.append("EarlyStopping(monitor: \"\(stopping.monitor)\", patience: \(stopping.patience), restoreBestWeights: true)")
        }
        if let reduce = recipe.callbacks.reduceLR {
            callbacks.append("try ReduceLROnPlateau(monitor: \"\(reduce.monitor)\", factor: \(number(reduce.factor)), patience: \(reduce.patience))")
        }
        let callbackText = callbacks.isEmpty ? "" : ", callbacks: [\(callbacks.joined(separator: ", "))]"
        lines.append("let history = try model.fit(x, y, epochs: \(recipe.epochs), batchSize: \(recipe.batchSize), validationSplit: \(number(recipe.validationSplit))\(callbackText))")
        return lines.joined(separator: "\n")
    }

    /// The Swift shorthand for a Keras optimizer name (`"adamw"` is `.adamW(…)`).
    static func optimizerFactory(_ name: String) -> String {
        let lowered = name.lowercased()
        return lowered == "adamw" ? "adamW" : lowered
    }

    static func swiftLayer(_ layer: LayerSpecification) -> String {
        func regularizer(_ value: Regularizer?) -> String {
            guard let value else { return "" }
            return ", kernelRegularizer: Regularizer(" + [value.l1 > 0 ? "l1: \(number(Double(value.l1)))" : nil,
                                                         value.l2 > 0 ? "l2: \(number(Double(value.l2)))" : nil].compactMap { $0 }.joined(separator: ", ") + ")"
        }
        func window(_ size: WindowSize) -> String { size.height == size.width ? "\(size.height)" : "[\(size.height), \(size.width)]" }
        switch layer {
        case let .input(shape): return "Input(shape: \(shape))"
        case .flatten: return "Flatten()"
        case let .reshape(shape): return "Reshape(\(shape))"
        case let .rescaling(scale, offset): return "Rescaling(scale: \(number(Double(scale))), offset: \(number(Double(offset))))"
        case let .dense(units, activation, reg): return "Dense(\(units), activation: .\(activation.swiftName)\(regularizer(reg)))"
        case let .dropout(rate): return "Dropout(\(number(Double(rate))))"
        case let .conv2D(filters, kernel, strides, padding, activation, reg):
            return "Conv2D(\(filters), kernelSize: \(window(kernel)), strides: \(window(strides)), padding: .\(padding), activation: .\(activation.swiftName)\(regularizer(reg)))"
        case let .depthwiseConv2D(kernel, strides, padding, multiplier, activation):
            return "DepthwiseConv2D(kernelSize: \(window(kernel)), strides: \(window(strides)), padding: .\(padding), depthMultiplier: \(multiplier), activation: .\(activation.swiftName))"
        case let .separableConv2D(filters, kernel, strides, padding, multiplier, activation):
            return "SeparableConv2D(\(filters), kernelSize: \(window(kernel)), strides: \(window(strides)), padding: .\(padding), depthMultiplier: \(multiplier), activation: .\(activation.swiftName))"
        case let .maxPooling2D(pool, strides, padding):
            return "MaxPooling2D(poolSize: \(window(pool))" + (strides.map { ", strides: \(window($0))" } ?? "") + ", padding: .\(padding))"
        case let .averagePooling2D(pool, strides, padding):
            return "AveragePooling2D(poolSize: \(window(pool))" + (strides.map { ", strides: \(window($0))" } ?? "") + ", padding: .\(padding))"
        case .globalAveragePooling2D: return "GlobalAveragePooling2D()"
        case let .batchNormalization(momentum, epsilon): return "BatchNormalization(momentum: \(number(Double(momentum))), epsilon: \(number(Double(epsilon))))"
        case let .activation(function): return "Activation(.\(function.swiftName))"
        case .relu: return "ReLU()"
        case .softmax: return "Softmax()"
        case .keras: return "// a layer read from a Keras config: build the model from that config"
        case .kerasModel: return "try modelFromJSON(/* the Keras functional config */)"
        case let .savedModel(path, frozen, unfreezeTop):
            return "try { let base = try loadModel(\"\(path)\", compile: false)" + (frozen ? "; base.trainable = false" : "")
                + (unfreezeTop > 0 ? "; /* unfreeze its top \(unfreezeTop) layers */" : "") + "; return base }()"
        }
    }

    static func number(_ value: Double) -> String { String(format: "%g", value) }
}

extension ActivationFunction {
    /// The Swift case name (`leakyRelu`), for generated code.
    var swiftName: String {
        if case .leakyRelu = self { return "leakyRelu" }
        return rawValue
    }
}
