extension KerasLayerRegistry {
    /// The registry entries of the layers functional models use (merge layers, LayerNormalization,
    /// GlobalMaxPooling2D, Identity, ZeroPadding2D, Cropping2D, UpSampling2D).
    static let functionalLayerEntries: [Entry] = {
        let noWeights: @Sendable (Layer, [Int]) -> Int = { _, _ in 0 }
        func merge(_ className: String, _ make: @escaping @Sendable (String?) -> Layer) -> Entry {
            Entry(className: className, make: { reader in make(try optionalName(reader)) }, parameterCount: noWeights)
        }
        return [
            merge("Add") { Add(name: $0) }, merge("Subtract") { Subtract(name: $0) }, merge("Multiply") { Multiply(name: $0) },
            merge("Average") { Average(name: $0) }, merge("Maximum") { Maximum(name: $0) }, merge("Minimum") { Minimum(name: $0) },
            merge("Identity") { Identity(name: $0) },
            Entry(className: "Concatenate", make: { reader in
                guard let axis = try KerasConfigReader.wholeNumber(reader.config["axis"] ?? .int(-1)) else {
                    throw reader.fail("\"axis\" must be one axis number")
                }
                return Concatenate(axis: axis, name: try optionalName(reader))
            }, parameterCount: noWeights),
            Entry(className: "LayerNormalization", make: layerNormalization, parameterCount: { layer, shape in
                guard let norm = layer as? LayerNormalization else { return 0 }
                return (shape.last ?? 0) &* ((norm.center ? 1 : 0) + (norm.scale ? 1 : 0))
            }),
            Entry(className: "GlobalMaxPooling2D", make: { reader in
                try reader.requireChannelsLast()
                return GlobalMaxPooling2D(keepDims: try reader.bool("keepdims", default: false), name: try optionalName(reader))
            }, parameterCount: noWeights),
            Entry(className: "ZeroPadding2D", make: { reader in
                try reader.requireChannelsLast()
                return ZeroPadding2D(padding: try borders(reader, "padding", default: 1), name: try optionalName(reader))
            }, parameterCount: noWeights),
            Entry(className: "Cropping2D", make: { reader in
                try reader.requireChannelsLast()
                return Cropping2D(cropping: try borders(reader, "cropping", default: 0), name: try optionalName(reader))
            }, parameterCount: noWeights),
            Entry(className: "UpSampling2D", make: { reader in
                try reader.requireChannelsLast()
                let interpolation = try reader.string("interpolation", default: "nearest")
                guard interpolation == "nearest" else { throw reader.fail("interpolation '\(interpolation)' is not supported (only \"nearest\")") }
                let size = try reader.window("size") ?? 2
                return UpSampling2D(size: (size.height, size.width), name: try optionalName(reader))
            }, parameterCount: noWeights),
        ]
    }()

    /// The config's name, or nil (the layer then makes its own unique name).
    static func optionalName(_ reader: KerasConfigReader) throws -> String? {
        reader.has("name") ? try reader.string("name") : nil
    }

    private static func layerNormalization(_ reader: KerasConfigReader) throws -> Layer {
        let axis = reader.config["axis"] ?? .int(-1)
        guard axis == .int(-1) || axis == .ints([-1]) else {
            throw reader.fail("\"axis\" = \(axis) is not supported; Kestrel normalises the last axis (-1)")
        }
        try reader.requireAbsent(["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"])
        try reader.require("rms_scaling", equals: .bool(false))
        let epsilon = try reader.float("epsilon", default: 0.001)
        guard epsilon > 0 else { throw reader.fail("\"epsilon\" must be positive, got \(epsilon)") }
        return LayerNormalization(epsilon: epsilon, center: try reader.bool("center", default: true),
                                  scale: try reader.bool("scale", default: true), name: try optionalName(reader))
    }

    /// Keras's 2-D border argument: one number, (vertical, horizontal), or ((top, bottom), (left, right)).
    private static func borders(_ reader: KerasConfigReader, _ key: String, default fallback: Int) throws -> ((Int, Int), (Int, Int)) {
        func number(_ value: ConfigValue) throws -> Int {
            guard let whole = try KerasConfigReader.wholeNumber(value), (0...1 << 20).contains(whole) else {
                throw reader.fail("\"\(key)\" must hold non-negative whole numbers, got \(value)")
            }
            return whole
        }
        guard let value = reader.config[key], value != .null else { return ((fallback, fallback), (fallback, fallback)) }
        if case .array(let parts) = value, parts.count == 2 {
            if case .array(let vertical) = parts[0], case .array(let horizontal) = parts[1], vertical.count == 2, horizontal.count == 2 {
                return ((try number(vertical[0]), try number(vertical[1])), (try number(horizontal[0]), try number(horizontal[1])))
            }
            let (vertical, horizontal) = (try number(parts[0]), try number(parts[1]))
            return ((vertical, vertical), (horizontal, horizontal))
        }
        let all = try number(value)
        return ((all, all), (all, all))
    }
}
