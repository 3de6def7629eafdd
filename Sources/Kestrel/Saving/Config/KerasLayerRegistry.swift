import Synchronization

/// The one table between Keras's layer class names and Kestrel's layer types. Saving writes
/// `layer.config` under the type's `kerasClassName`; loading (`loadModel`, `modelFromJSON`, the
/// `kestrel fit --model config.json` reader, the text spec) turns a Keras `{"class_name", "config"}`
/// object back into a layer with the type's `init(config:)`. Each layer declares its name, config and
/// reading in its own file; adding a layer means adding its type to `builtInLayers`, and a user's own
/// layer joins with `register(_:package:name:)`.
public enum KerasLayerRegistry {
    /// Keras's layers that Kestrel implements, in the order error messages list them.
    static let builtInLayers: [KerasLayer.Type] = [
        Dense.self, Conv2D.self, BatchNormalization.self, Dropout.self, Flatten.self, Reshape.self, Rescaling.self,
        MaxPooling2D.self, AveragePooling2D.self, GlobalAveragePooling2D.self, Activation.self, ReLU.self, Softmax.self,
        Add.self, Subtract.self, Multiply.self, Average.self, Maximum.self, Minimum.self, Identity.self, Concatenate.self,
        LayerNormalization.self, GlobalMaxPooling2D.self, ZeroPadding2D.self, Cropping2D.self, UpSampling2D.self,
        RandomFlip.self, RandomRotation.self, RandomTranslation.self, RandomZoom.self, RandomContrast.self, RandomBrightness.self,
        DepthwiseConv2D.self, SeparableConv2D.self, Normalization.self, TextVectorization.self, Embedding.self,
        GlobalAveragePooling1D.self, GlobalMaxPooling1D.self, Conv1D.self, MaxPooling1D.self,
    ]

    /// The user's layers, by Keras's registered name ("MyPackage>MyLayer").
    private static let registered = Mutex<[String: KerasLayer.Type]>([:])

    /// Keras's `@register_keras_serializable(package:name:)`: makes `type` loadable and savable under the
    /// registered name "`package`>`name`" (name defaults to the type's `kerasClassName`), as Keras writes
    /// it in `registered_name`. A Python class registered under the same name reads the file in Keras.
    /// Registering the same type again is allowed; another type under a taken name is refused.
    public static func register(_ type: KerasLayer.Type, package: String = "Custom", name: String? = nil) throws {
        let className = name ?? type.kerasClassName
        for (label, part) in [("package", package), ("name", className)] where part.isEmpty || part.contains(">") {
            throw KestrelError.invalidArgument("KerasLayerRegistry.register: \(label) must be non-empty and without '>', got '\(part)'.")
        }
        let key = "\(package)>\(className)"
        try registered.withLock { table in
            if let existing = table[key], ObjectIdentifier(existing) != ObjectIdentifier(type) {
                throw KestrelError.invalidArgument("KerasLayerRegistry.register: '\(key)' is already registered to \(existing); choose another package or name.")
            }
            table[key] = type
        }
    }

    /// The registered name ("MyPackage>MyLayer") of a user's layer type, or nil for Kestrel's own.
    public static func registeredName(of type: KerasLayer.Type) -> String? {
        registered.withLock { table in table.first { ObjectIdentifier($0.value) == ObjectIdentifier(type) }?.key }
    }

    /// Keras's class names Kestrel can read and write (its own layers).
    public static var classNames: [String] { builtInLayers.map { $0.kerasClassName } }

    /// The serialised object of the layer the text spec names by its Keras class name (`layernormalization`,
    /// `zero_padding2d`: any case, `_` and `-` ignored; a registered layer by its name), with `config`; nil
    /// when no layer has that name. So every layer in this registry is usable in the text spec.
    public static func object(forSpecificationName name: String, config: LayerConfig) -> ConfigValue? {
        func normalized(_ word: String) -> String { word.lowercased().filter { $0 != "_" && $0 != "-" } }
        let wanted = normalized(name)
        if let type = builtInLayers.first(where: { normalized($0.kerasClassName) == wanted }) {
            return .object(["class_name": .string(type.kerasClassName), "config": .object(config)])
        }
        let custom = registered.withLock { table in
            table.keys.sorted().first { normalized(String($0.split(separator: ">", maxSplits: 1).last ?? "")) == wanted }
        }
        guard let custom else { return nil }
        return .object(["class_name": .string(String(custom.split(separator: ">", maxSplits: 1).last ?? "")),
                        "registered_name": .string(custom), "config": .object(config)])
    }

    static func builtInType(for className: String) -> KerasLayer.Type? { builtInLayers.first { $0.kerasClassName == className } }

    /// Keras's `keras.layers.deserialize`: the layer for a serialised `{"class_name", "config"}` object.
    /// `number` (1-based position) appears in errors. Refuses `Lambda` and Python classes nobody registered.
    public static func layer(from object: ConfigValue, number: Int) throws -> Layer {
        try layer(from: object, number: number, depth: 0)
    }

    /// `layer(from:number:)` inside a model being read: a nested `Sequential` / `Functional` model is read
    /// as a whole model (its weights counted against the budget of the model around it).
    static func layer(from object: ConfigValue, number: Int, depth: Int) throws -> Layer {
        if KerasModelConfig.isModel(object) {
            try KerasObjects.refuseCustom(object, className: object["class_name"]?.stringValue ?? "?")
            return try KerasModelConfig.model(from: object, depth: depth + 1)
        }
        let className = object["class_name"]?.stringValue ?? "?"
        let reader = KerasConfigReader(className: className, number: number, config: object["config"]?.objectValue ?? [:])
        guard object["config"]?.objectValue != nil || object["config"] == nil else { throw reader.fail("\"config\" must be an object") }
        let type = try layerType(of: object, reader: reader)
        try KerasObjects.requireFloat32(reader.config["dtype"], reader: reader)
        let layer: Layer
        do {
            layer = try type.init(config: reader)
        } catch let error as KestrelError {
            throw error
        } catch {
            throw reader.fail("\(error)")
        }
        layer.trainable = try reader.bool("trainable", default: true)
        return layer
    }

    /// The type that reads `object`: a user's registered layer by `registered_name`, else Kestrel's own.
    private static func layerType(of object: ConfigValue, reader: KerasConfigReader) throws -> KerasLayer.Type {
        let className = reader.className
        if className == "Lambda" || className == "TFOpLambda" {
            throw reader.fail("a Lambda layer holds Python code, which Kestrel never runs (Keras's safe_mode refuses it too); rebuild the model without Lambda layers")
        }
        let module = object["module"]?.stringValue
        let registeredName = object["registered_name"]?.stringValue
        let isCustom = (registeredName.map { $0 != className } ?? false) || (module.map { !$0.hasPrefix("keras") } ?? false)
        if isCustom {
            let key = registeredName ?? "Custom>\(className)"
            if let type = registered.withLock({ $0[key] }) { return type }
            let parts = key.split(separator: ">", maxSplits: 1).map(String.init)
            let (package, name) = parts.count == 2 ? (parts[0], parts[1]) : ("Custom", key)
            throw reader.fail(
                "'\(key)' is a custom layer\(module.map { " from the Python module '\($0)'" } ?? ""), which Kestrel cannot run as Python; write it in Swift as a Layer conforming to KerasSerializable and call KerasLayerRegistry.register(\(name).self, package: \"\(package)\", name: \"\(name)\") before loading")
        }
        guard let type = builtInType(for: className) else {
            throw reader.fail(
                "this layer class is not supported; supported: InputLayer, \(classNames.joined(separator: ", ")); a layer of your own must conform to KerasSerializable and be registered with KerasLayerRegistry.register(\(className).self, package: …)")
        }
        return type
    }

    /// The serialised object Keras writes for `layer` (module, class name, config, build config).
    /// Throws for Kestrel-only layers Keras cannot read.
    public static func serialize(_ layer: Layer, inputShape: [Int]?) throws -> ConfigValue {
        if let model = layer as? Model { return try KerasModelConfig.serialize(model, nested: true) }
        guard let type = type(of: layer) as? KerasLayer.Type else {
            throw KestrelError.invalidArgument(
                "Layer '\(layer.name)' (\(layer.className)) has no Keras 3 equivalent Kestrel can save; remove it before saving, or make it KerasSerializable and register it (Keras can save: \(classNames.joined(separator: ", "))).")
        }
        var members: [String: ConfigValue] = [
            "module": .string("keras.layers"), "class_name": .string(type.kerasClassName), "config": .object(layer.config),
            "registered_name": .null,
        ]
        if let registeredName = registeredName(of: type) {
            // As Keras writes a registered class: no module, the class name, and "package>name".
            members["module"] = .null
            members["class_name"] = .string(String(registeredName.split(separator: ">", maxSplits: 1).last ?? ""))
            members["registered_name"] = .string(registeredName)
        } else if builtInType(for: type.kerasClassName).map(ObjectIdentifier.init) != ObjectIdentifier(type) {
            throw KestrelError.invalidArgument(
                "Layer '\(layer.name)' (\(type.kerasClassName)) is not registered; call KerasLayerRegistry.register(\(type).self, package: …) before saving so that loading can find it.")
        }
        if let inputShape, !layer.weights.isEmpty || layer is Flatten || layer is Reshape || registeredName(of: type) != nil {
            members["build_config"] = .object(["input_shape": .array([.null] + inputShape.map(ConfigValue.int))])
        }
        return .object(members)
    }
}
