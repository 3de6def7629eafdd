import Foundation

/// Reads Keras's Sequential model config — the JSON of `model.to_json()`, or the `config.json`
/// inside a `.keras` file — into a `ModelSpecification`.
///
/// Layout: `{"class_name": "Sequential", "config": {"name": …, "layers": [{"class_name": "Dense",
/// "config": {"units": 128, "activation": "relu", …}}, …]}}`. Supported layer classes: InputLayer,
/// Flatten, Reshape, Rescaling, Dense, Dropout, Conv2D, MaxPooling2D, AveragePooling2D,
/// GlobalAveragePooling2D, BatchNormalization, Activation, ReLU, Softmax (L1/L2/L1L2 kernel
/// regularizers; other initializers than Keras's defaults are not reproduced).
public enum KerasSequentialConfig {
    /// Parses the JSON bytes.
    public static func parse(_ data: Data) throws -> ModelSpecification {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelSpecificationError.keras("The Keras model file is not a JSON object; export it with model.to_json() or take config.json out of the .keras file.")
        }
        guard let className = root["class_name"] as? String, className == "Sequential",
              let config = root["config"] as? [String: Any] else {
            throw ModelSpecificationError.keras("The Keras model file is not a Sequential model's config (it needs \"class_name\": \"Sequential\" and a \"config\"); only Sequential models can be read.")
        }
        guard let layerObjects = config["layers"] as? [[String: Any]] else {
            throw ModelSpecificationError.keras("The Keras Sequential config has no \"layers\" list.")
        }
        var layers: [LayerSpecification] = []
        for (index, object) in layerObjects.enumerated() {
            layers.append(try layer(object, number: index + 1))
        }
        if !layers.contains(where: { if case .input = $0 { return true } else { return false } }),
           let buildShape = (config["build_input_shape"] as? [Any]) ?? ((root["build_config"] as? [String: Any])?["input_shape"] as? [Any]) {
            let dims = buildShape.dropFirst().compactMap(exactInt)
            if dims.count == buildShape.count - 1 { layers.insert(.input(shape: dims), at: 0) }
        }
        return ModelSpecification(layers: layers, name: config["name"] as? String)
    }

    /// A JSON number that is a whole number within `Int` (2^63, 1e19 and 1.5 are not); nil otherwise.
    private static func exactInt(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        return Int(exactly: number.doubleValue)
    }

    private static func layer(_ object: [String: Any], number: Int) throws -> LayerSpecification {
        let className = object["class_name"] as? String ?? "?"
        let config = object["config"] as? [String: Any] ?? [:]
        func fail(_ problem: String) -> ModelSpecificationError {
            .keras("Keras layer \(number) (\(className)): \(problem).")
        }
        func int(_ key: String) throws -> Int {
            guard let value = exactInt(config[key]) else { throw fail("\"\(key)\" is missing or not a whole number that fits in Int") }
            return value
        }
        func float(_ key: String, default fallback: Float? = nil) throws -> Float {
            if let value = (config[key] as? NSNumber)?.floatValue { return value }
            if let fallback { return fallback }
            throw fail("\"\(key)\" is missing or not a number")
        }
        func ints(_ key: String) throws -> [Int]? {
            guard let raw = config[key], !(raw is NSNull) else { return nil }
            let values = (raw as? [Any]).map { $0.map(exactInt) } ?? [exactInt(raw)]
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                throw fail("\"\(key)\" must be whole numbers that fit in Int")
            }
            return values.compactMap { $0 }
        }
        func window(_ key: String) throws -> WindowSize? {
            guard let values = try ints(key) else { return nil }
            guard (1...2).contains(values.count) else { throw fail("\"\(key)\" must have one or two sizes") }
            return WindowSize(values[0], values.count == 2 ? values[1] : values[0])
        }
        func activation(_ key: String = "activation") throws -> ActivationFunction {
            guard let name = config[key] as? String else { return .linear }
            do { return try ActivationFunction.named(name) } catch { throw fail("activation '\(name)' is not supported") }
        }
        func padding() throws -> Padding {
            let name = config["padding"] as? String ?? "valid"
            guard let padding = Padding(rawValue: name) else { throw fail("padding '\(name)' is not supported") }
            return padding
        }
        func regularizer() throws -> Regularizer? {
            guard let object = config["kernel_regularizer"] as? [String: Any] else { return nil }
            let inner = object["config"] as? [String: Any] ?? [:]
            let l1 = (inner["l1"] as? NSNumber)?.floatValue ?? 0, l2 = (inner["l2"] as? NSNumber)?.floatValue ?? 0
            switch object["class_name"] as? String {
            case "L1", "L2", "L1L2": return Regularizer(l1: l1, l2: l2)
            default: throw fail("kernel regularizer \(object["class_name"] as? String ?? "?") is not supported (only L1, L2, L1L2)")
            }
        }
        if config["data_format"] as? String == "channels_first" { throw fail("channels_first data is not supported; Kestrel is channels_last (NHWC)") }
        switch className {
        case "InputLayer":
            guard let shape = (config["batch_shape"] as? [Any]) ?? (config["batch_input_shape"] as? [Any]), shape.count >= 2 else {
                throw fail("\"batch_shape\" is missing")
            }
            let dims = shape.dropFirst().compactMap(exactInt)
            guard dims.count == shape.count - 1 else { throw fail("the input shape \(shape) has unknown sizes; Kestrel needs them all") }
            return .input(shape: dims)
        case "Flatten": return .flatten
        case "Reshape":
            guard let shape = try ints("target_shape") else { throw fail("\"target_shape\" is missing") }
            return .reshape(targetShape: shape)
        case "Rescaling": return .rescaling(scale: try float("scale"), offset: try float("offset", default: 0))
        case "Dense":
            if config["use_bias"] as? Bool == false { throw fail("use_bias false is not supported by the spec reader") }
            return .dense(units: try int("units"), activation: try activation(), kernelRegularizer: try regularizer())
        case "Dropout": return .dropout(rate: try float("rate"))
        case "Conv2D":
            if let dilation = try ints("dilation_rate"), dilation.contains(where: { $0 != 1 }) { throw fail("dilation_rate other than 1 is not supported") }
            if let groups = (config["groups"] as? NSNumber)?.intValue, groups != 1 { throw fail("groups other than 1 is not supported") }
            guard let kernel = try window("kernel_size") else { throw fail("\"kernel_size\" is missing") }
            return .conv2D(filters: try int("filters"), kernelSize: kernel, strides: try window("strides") ?? 1,
                           padding: try padding(), activation: try activation(), kernelRegularizer: try regularizer())
        case "MaxPooling2D":
            return .maxPooling2D(poolSize: try window("pool_size") ?? 2, strides: try window("strides"), padding: try padding())
        case "AveragePooling2D":
            return .averagePooling2D(poolSize: try window("pool_size") ?? 2, strides: try window("strides"), padding: try padding())
        case "GlobalAveragePooling2D":
            if config["keepdims"] as? Bool == true { throw fail("keepdims true is not supported by the spec reader") }
            return .globalAveragePooling2D
        case "BatchNormalization":
            return .batchNormalization(momentum: try float("momentum", default: 0.99), epsilon: try float("epsilon", default: 0.001))
        case "Activation": return .activation(try activation())
        case "ReLU": return .relu
        case "Softmax": return .softmax
        default:
            throw fail("this layer class is not supported; supported: InputLayer, Flatten, Reshape, Rescaling, Dense, Dropout, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, BatchNormalization, Activation, ReLU, Softmax")
        }
    }
}
