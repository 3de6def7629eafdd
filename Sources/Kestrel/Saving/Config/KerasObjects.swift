/// Keras 3's serialised objects (`serialize_keras_object`): `{"module", "class_name", "config",
/// "registered_name"}` for dtype policies, initializers and regularizers, and their reading back.
public enum KerasObjects {
    /// `{"module": module, "class_name": className, "config": config, "registered_name": null}`.
    public static func object(module: String, className: String, config: LayerConfig) -> ConfigValue {
        .object(["module": .string(module), "class_name": .string(className), "config": .object(config), "registered_name": .null])
    }

    /// Keras's float32 dtype policy, as every layer's `dtype` holds it.
    public static var float32Policy: ConfigValue {
        object(module: "keras", className: "DTypePolicy", config: ["name": .string("float32")])
    }

    /// The config keys every Keras layer has: name, trainable and the dtype policy.
    public static func baseLayerConfig(_ layer: Layer) -> LayerConfig {
        ["name": .string(layer.name), "trainable": .bool(layer.trainable), "dtype": float32Policy]
    }

    /// Refuses a dtype other than float32 (a policy object or a string).
    static func requireFloat32(_ value: ConfigValue?, reader: KerasConfigReader) throws {
        guard let value, value != .null else { return }
        let name = value.stringValue ?? value["config"]?["name"]?.stringValue
        guard let name else { throw reader.fail("\"dtype\" is not a dtype policy") }
        guard name == "float32" else { throw reader.fail("dtype '\(name)' is not supported; Kestrel computes in float32") }
    }

    /// A number as Keras writes a float32 hyper-parameter (its exact double value).
    public static func number(_ value: Float) -> ConfigValue { .double(Double(value)) }

    // MARK: Initializers

    /// An initializer as Keras serialises it.
    public static func serialize(_ initializer: Initializer) -> ConfigValue {
        let seeded: LayerConfig = ["seed": .null, "input_axes": .null, "output_axes": .null]
        let module = "keras.initializers"
        switch initializer {
        case .zeros: return object(module: module, className: "Zeros", config: [:])
        case .ones: return object(module: module, className: "Ones", config: [:])
        case .constant(let value): return object(module: module, className: "Constant", config: ["value": number(value)])
        case .glorotUniform: return object(module: module, className: "GlorotUniform", config: seeded)
        case .glorotNormal: return object(module: module, className: "GlorotNormal", config: seeded)
        case .heUniform: return object(module: module, className: "HeUniform", config: seeded)
        case .heNormal: return object(module: module, className: "HeNormal", config: seeded)
        case .lecunUniform: return object(module: module, className: "LecunUniform", config: seeded)
        case let .randomNormal(mean, deviation):
            return object(module: module, className: "RandomNormal", config: ["seed": .null, "mean": number(mean), "stddev": number(deviation)])
        case let .randomUniform(minimum, maximum):
            return object(module: module, className: "RandomUniform", config: ["seed": .null, "minval": number(minimum), "maxval": number(maximum)])
        }
    }

    /// Reads a serialised initializer (object or Keras string name).
    public static func initializer(from value: ConfigValue) throws -> Initializer {
        if let name = value.stringValue { return try Initializer.named(name) }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("an initializer must be a name or a {\"class_name\": …} object")
        }
        try refuseCustom(value, className: className)
        let config = value["config"]?.objectValue ?? [:]
        func float(_ key: String, _ fallback: Float) -> Float { config[key]?.doubleValue.map(Float.init) ?? fallback }
        switch className {
        case "Zeros": return .zeros
        case "Ones": return .ones
        case "Constant": return .constant(float("value", 0))
        case "GlorotUniform": return .glorotUniform
        case "GlorotNormal": return .glorotNormal
        case "HeUniform": return .heUniform
        case "HeNormal": return .heNormal
        case "LecunUniform": return .lecunUniform
        case "RandomNormal": return .randomNormal(mean: float("mean", 0), standardDeviation: float("stddev", 0.05))
        case "RandomUniform": return .randomUniform(minimum: float("minval", -0.05), maximum: float("maxval", 0.05))
        default:
            throw KestrelError.invalidData("initializer \(className) is not supported (use Zeros, Ones, Constant, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, RandomNormal, RandomUniform)")
        }
    }

    // MARK: Regularizers

    /// A regularizer as Keras serialises it (L1, L2 or L1L2), or null.
    public static func serialize(_ regularizer: Regularizer?) -> ConfigValue {
        guard let regularizer else { return .null }
        let module = "keras.regularizers"
        if regularizer.l1 == 0 { return object(module: module, className: "L2", config: ["l2": number(regularizer.l2)]) }
        if regularizer.l2 == 0 { return object(module: module, className: "L1", config: ["l1": number(regularizer.l1)]) }
        return object(module: module, className: "L1L2", config: ["l1": number(regularizer.l1), "l2": number(regularizer.l2)])
    }

    /// Reads a serialised regularizer (object, or the strings "l1", "l2", "l1_l2").
    public static func regularizer(from value: ConfigValue) throws -> Regularizer {
        if let name = value.stringValue {
            switch name.lowercased() {
            case "l1": return .l1()
            case "l2": return .l2()
            case "l1_l2", "l1l2": return .l1l2()
            default: throw KestrelError.invalidData("regularizer '\(name)' is not supported (only L1, L2, L1L2)")
            }
        }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("a regularizer must be a name or a {\"class_name\": …} object")
        }
        try refuseCustom(value, className: className)
        let config = value["config"]?.objectValue ?? [:]
        let l1 = config["l1"]?.doubleValue.map(Float.init) ?? 0, l2 = config["l2"]?.doubleValue.map(Float.init) ?? 0
        guard l1.isFinite, l2.isFinite, l1 >= 0, l2 >= 0 else { throw KestrelError.invalidData("regularizer factors must be finite and ≥ 0") }
        switch className {
        case "L1", "L2", "L1L2": return Regularizer(l1: l1, l2: l2)
        default: throw KestrelError.invalidData("regularizer \(className) is not supported (only L1, L2, L1L2)")
        }
    }

    /// Refuses objects registered from Python code (`registered_name` "package>Name", custom modules),
    /// as Keras's `safe_mode` does for code it would have to run.
    static func refuseCustom(_ value: ConfigValue, className: String) throws {
        if let registered = value["registered_name"]?.stringValue, registered != className {
            throw KestrelError.invalidData("'\(registered)' is a custom Python object; Kestrel cannot run Python code (Keras's safe_mode refuses it too)")
        }
        if let module = value["module"]?.stringValue, !module.hasPrefix("keras") {
            throw KestrelError.invalidData("\(className) comes from the Python module '\(module)'; only Keras's own classes can be loaded")
        }
    }
}
