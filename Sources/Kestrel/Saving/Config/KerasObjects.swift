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
        object(module: "keras.initializers", className: initializer.kerasClassName, config: initializer.config)
    }

    /// Reads a serialised initializer (object or Keras string name).
    public static func initializer(from value: ConfigValue) throws -> Initializer {
        if let name = value.stringValue { return try Initializer.named(name) }
        guard let className = value["class_name"]?.stringValue else {
            throw KestrelError.invalidData("an initializer must be a name or a {\"class_name\": …} object")
        }
        try refuseCustom(value, className: className)
        return try Initializer(kerasClassName: className, config: value["config"]?.objectValue ?? [:])
    }

    // MARK: Regularizers

    /// A regularizer as Keras serialises it (L1, L2 or L1L2), or null.
    public static func serialize(_ regularizer: Regularizer?) -> ConfigValue {
        guard let regularizer else { return .null }
        return object(module: "keras.regularizers", className: regularizer.kerasClassName, config: regularizer.config)
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
        return try Regularizer(kerasClassName: className, config: value["config"]?.objectValue ?? [:])
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
