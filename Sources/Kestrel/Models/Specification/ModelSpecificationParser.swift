import Foundation

/// Reads the text form of a model spec: layers separated by commas (or semicolons or new lines),
/// each a layer name followed by space-separated arguments, positional in the order shown or as
/// `key=value`. Names are case-insensitive; `_` and `-` in them are ignored.
///
/// ```
/// input 28x28                      Input(shape: [28, 28])  (optional: the data's shape is used)
/// flatten                          Flatten()
/// reshape 28x28x1                  Reshape([28, 28, 1])
/// rescaling 1/255 [offset]         Rescaling(scale:offset:)
/// dense UNITS [ACTIVATION] [l1=F] [l2=F]
/// dropout RATE
/// conv2d FILTERS [KERNEL=3] [ACTIVATION] [same|valid] [strides=S] [l1=F] [l2=F]   (KERNEL: 3 or 3x5)
/// depthwiseconv2d [KERNEL=3] [ACTIVATION] [same|valid] [strides=S] [multiplier=M]   (also: depthwise)
/// separableconv2d FILTERS [KERNEL=3] [ACTIVATION] [same|valid] [strides=S] [multiplier=M]   (also: separable)
/// maxpool [SIZE=2] [strides=S] [same|valid]      (also: maxpooling2d)
/// avgpool [SIZE=2] [strides=S] [same|valid]      (also: averagepooling2d)
/// globalavgpool                                  (also: globalaveragepooling2d, gap)
/// batchnorm [momentum=0.99] [epsilon=0.001]      (also: batchnormalization)
/// activation NAME, relu, softmax, sigmoid, tanh… (a bare activation name is an activation layer)
/// CLASSNAME key=value …     any other layer of `KerasLayerRegistry` (a registered one too) by its Keras
///                           class name with Keras's config keys, e.g. `layernormalization epsilon=0.01`,
///                           `zeropadding2d padding=2`, `randomflip mode="horizontal" seed=3`
/// base=PATH.keras [frozen] [unfreeze=N]        a saved model (weights included) as one layer, e.g. a
///                                              pretrained base under a new head; `frozen` freezes it,
///                                              `unfreeze=N` then trains its top N layers again
/// ```
/// Transfer learning: `"base=digits.keras frozen, dense 64 relu, dense 5 softmax"`.
/// Example: `"conv2d 32 3 relu same, maxpool, flatten, dense 128 relu, dropout 0.5, dense 10 softmax"`.
public enum ModelSpecificationParser {
    /// Every layer name the parser knows (first spelling of each).
    public static let layerNames = ["input", "flatten", "reshape", "rescaling", "dense", "dropout", "conv2d", "depthwiseconv2d",
                                    "separableconv2d", "maxpool",
                                    "avgpool", "globalavgpool", "batchnorm", "activation"]
        + ActivationFunction.allCases.map(\.rawValue)

    /// Parses `text` into a specification, or throws a `ModelSpecificationError` naming the layer and token.
    public static func parse(_ text: String) throws -> ModelSpecification {
        let separators: Set<Character> = [",", ";", "\n"]
        let pieces = text.split(whereSeparator: { separators.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !pieces.isEmpty else { throw ModelSpecificationError.empty }
        var layers: [LayerSpecification] = []
        for (index, piece) in pieces.enumerated() {
            let layer = try parseLayer(piece, number: index + 1)
            if case .input = layer, index > 0 {
                throw ModelSpecificationError.badToken(layer: index + 1, layerText: piece, position: 1, token: "input",
                                                       problem: "must be the first layer")
            }
            layers.append(layer)
        }
        return ModelSpecification(layers: layers)
    }

    /// `base=PATH.keras [frozen] [unfreeze=N]`; the file must exist (it is read when the model is made).
    private static func parseBase(_ tokens: [String], text: String, number: Int) throws -> LayerSpecification {
        let path = String(tokens[0].dropFirst("base=".count))
        guard path.hasSuffix(".keras") else {
            throw ModelSpecificationError.badToken(layer: number, layerText: text, position: 1, token: tokens[0],
                                                   problem: "must name a saved model file ending in .keras, e.g. base=digits.keras")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw ModelSpecificationError.badToken(layer: number, layerText: text, position: 1, token: tokens[0],
                                                   problem: "names '\(path)', which does not exist; save the base with model.save(\"….keras\") or kestrel fit --save")
        }
        var frozen = false, unfreezeTop = 0
        for (offset, token) in tokens.dropFirst().enumerated() {
            let lowered = token.lowercased()
            if lowered == "frozen" || lowered == "freeze" {
                frozen = true
            } else if lowered == "trainable" {
                frozen = false
            } else if lowered.hasPrefix("unfreeze="), let count = Int(lowered.dropFirst("unfreeze=".count)), count >= 1 {
                unfreezeTop = count
            } else {
                throw ModelSpecificationError.badToken(layer: number, layerText: text, position: offset + 2, token: token,
                                                       problem: "is not 'frozen', 'trainable' or 'unfreeze=N' (N ≥ 1)")
            }
        }
        if unfreezeTop > 0 && !frozen {
            throw ModelSpecificationError.missingArgument(layer: number, layerText: text,
                                                          problem: "unfreeze=\(unfreezeTop) only makes sense after 'frozen' (write 'base=\(path) frozen unfreeze=\(unfreezeTop)')")
        }
        return .savedModel(path: path, frozen: frozen, unfreezeTop: unfreezeTop)
    }

    private static func normalized(_ word: String) -> String {
        word.lowercased().filter { $0 != "_" && $0 != "-" }
    }

    static func parseLayer(_ text: String, number: Int) throws -> LayerSpecification {
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        if tokens[0].lowercased().hasPrefix("base=") { return try parseBase(tokens, text: text, number: number) }
        let keyword = normalized(tokens[0])
        var arguments = ArgumentReader(tokens: tokens, layer: number, layerText: text)
        switch keyword {
        case "input", "inputlayer":
            let shape = try arguments.read([.shape("shape", required: true)])
            return .input(shape: shape.shapes["shape"]!)
        case "flatten":
            _ = try arguments.read([])
            return .flatten
        case "reshape":
            let values = try arguments.read([.shape("shape", required: true)])
            return .reshape(targetShape: values.shapes["shape"]!)
        case "rescaling", "rescale":
            let values = try arguments.read([.number("scale", required: true), .number("offset", required: false)])
            return .rescaling(scale: Float(values.numbers["scale"]!), offset: Float(values.numbers["offset"] ?? 0))
        case "dense":
            let values = try arguments.read([.count("units", required: true), .activation, .number("l1", required: false, keyed: true),
                                             .number("l2", required: false, keyed: true)])
            return .dense(units: values.counts["units"]!, activation: values.activation ?? .linear,
                          kernelRegularizer: values.regularizer)
        case "dropout":
            let values = try arguments.read([.number("rate", required: true)])
            let rate = values.numbers["rate"]!
            guard rate >= 0, rate < 1 else {
                throw ModelSpecificationError.badToken(layer: number, layerText: text, position: values.positions["rate"]!,
                                                       token: tokens[values.positions["rate"]! - 1],
                                                       problem: "is not a dropout rate; write a fraction in [0, 1), e.g. 'dropout 0.5'")
            }
            return .dropout(rate: Float(rate))
        case "conv2d", "conv", "convolution2d":
            let values = try arguments.read([.count("filters", required: true), .window("kernel"), .activation, .padding,
                                             .window("strides", keyed: true), .number("l1", required: false, keyed: true),
                                             .number("l2", required: false, keyed: true)])
            return .conv2D(filters: values.counts["filters"]!, kernelSize: values.windows["kernel"] ?? 3,
                           strides: values.windows["strides"] ?? 1, padding: values.padding ?? .valid,
                           activation: values.activation ?? .linear, kernelRegularizer: values.regularizer)
        case "depthwiseconv2d", "depthwise", "depthwiseconv":
            let values = try arguments.read([.window("kernel"), .activation, .padding, .window("strides", keyed: true),
                                             .number("multiplier", required: false, keyed: true)])
            return .depthwiseConv2D(kernelSize: values.windows["kernel"] ?? 3, strides: values.windows["strides"] ?? 1,
                                    padding: values.padding ?? .valid, depthMultiplier: try multiplier(values, tokens, text, number),
                                    activation: values.activation ?? .linear)
        case "separableconv2d", "separable", "separableconv":
            let values = try arguments.read([.count("filters", required: true), .window("kernel"), .activation, .padding,
                                             .window("strides", keyed: true), .number("multiplier", required: false, keyed: true)])
            return .separableConv2D(filters: values.counts["filters"]!, kernelSize: values.windows["kernel"] ?? 3,
                                    strides: values.windows["strides"] ?? 1, padding: values.padding ?? .valid,
                                    depthMultiplier: try multiplier(values, tokens, text, number), activation: values.activation ?? .linear)
        case "maxpool", "maxpooling2d", "maxpooling", "maxpool2d":
            let values = try arguments.read([.window("size"), .padding, .window("strides", keyed: true)])
            return .maxPooling2D(poolSize: values.windows["size"] ?? 2, strides: values.windows["strides"], padding: values.padding ?? .valid)
        case "avgpool", "averagepooling2d", "averagepooling", "avgpool2d":
            let values = try arguments.read([.window("size"), .padding, .window("strides", keyed: true)])
            return .averagePooling2D(poolSize: values.windows["size"] ?? 2, strides: values.windows["strides"], padding: values.padding ?? .valid)
        case "globalavgpool", "globalaveragepooling2d", "gap", "globalavgpool2d":
            _ = try arguments.read([])
            return .globalAveragePooling2D
        case "batchnorm", "batchnormalization", "bn":
            let values = try arguments.read([.number("momentum", required: false, keyed: true), .number("epsilon", required: false, keyed: true)])
            return .batchNormalization(momentum: Float(values.numbers["momentum"] ?? 0.99), epsilon: Float(values.numbers["epsilon"] ?? 0.001))
        case "activation":
            let values = try arguments.read([.activationRequired])
            return .activation(values.activation!)
        default:
            let activationName = tokens[0].lowercased() == "silu" ? "swish" : tokens[0].lowercased()
            if let function = ActivationFunction(rawValue: activationName) {
                _ = try arguments.read([])
                switch function {
                case .relu: return .relu
                case .softmax: return .softmax
                default: return .activation(function)
                }
            }
            if let object = try kerasClassLayer(tokens, text: text, number: number) { return .keras(object) }
            throw ModelSpecificationError.unknownLayer(layer: number, name: tokens[0])
        }
    }

    /// A layer named by its Keras class name with `key=value` settings (values read as JSON — numbers,
    /// lists, true/false, quoted strings — or else as a bare string), read by the registry when the model is made.
    private static func kerasClassLayer(_ tokens: [String], text: String, number: Int) throws -> ConfigValue? {
        guard KerasLayerRegistry.object(forSpecificationName: tokens[0], config: [:]) != nil else { return nil }
        var config: LayerConfig = [:]
        for (offset, token) in tokens.dropFirst().enumerated() {
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ModelSpecificationError.badToken(layer: number, layerText: text, position: offset + 2, token: token,
                                                       problem: "is not key=value; give \(tokens[0])'s Keras settings by name, e.g. epsilon=0.01")
            }
            config[parts[0]] = (try? ConfigValue.parse(Data(parts[1].utf8), source: "the spec")) ?? .string(parts[1])
        }
        return KerasLayerRegistry.object(forSpecificationName: tokens[0], config: config)
    }

    /// The `multiplier=M` option (default 1): a whole number ≥ 1.
    private static func multiplier(_ values: ArgumentReader.Values, _ tokens: [String], _ text: String, _ number: Int) throws -> Int {
        guard let value = values.numbers["multiplier"] else { return 1 }
        guard value >= 1, value <= Double(1 << 20), value.rounded() == value else {
            let position = values.positions["multiplier"] ?? 1
            throw ModelSpecificationError.badToken(layer: number, layerText: text, position: position, token: tokens[position - 1],
                                                   problem: "is not a depth multiplier; write a whole number ≥ 1, e.g. 'multiplier=2'")
        }
        return Int(value)
    }
}
