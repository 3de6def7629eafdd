import KestrelData

extension KerasLayerRegistry {
    /// The registry entries of Keras's image augmentation layers (`RandomFlip`, `RandomRotation`,
    /// `RandomTranslation`, `RandomZoom`, `RandomContrast`, `RandomBrightness`), read from and written
    /// to Keras 3's config keys (`factor` as a number or `[lower, upper]`, `fill_mode`, `fill_value`,
    /// `interpolation`, `value_range`, `seed`, `data_format`).
    static let preprocessingEntries: [Entry] = {
        let noWeights: @Sendable (Layer, [Int]) -> Int = { _, _ in 0 }
        func entry(_ className: String, _ make: @escaping @Sendable (KerasConfigReader) throws -> Layer) -> Entry {
            Entry(className: className, make: { reader in
                try reader.requireChannelsLast()
                do {
                    return try make(reader)
                } catch let error as KestrelError {
                    throw error
                } catch {
                    throw reader.fail("\(error)")
                }
            }, parameterCount: noWeights)
        }
        return [
            entry("RandomFlip") { reader in
                let mode = try reader.string("mode", default: "horizontal_and_vertical")
                guard let flip = FlipMode(rawValue: mode) else {
                    throw reader.fail("\"mode\" '\(mode)' is not one of horizontal, vertical, horizontal_and_vertical")
                }
                return RandomFlip(flip, seed: try seed(reader), name: try optionalName(reader))
            },
            entry("RandomRotation") { reader in
                try RandomRotation(try factor(reader, "factor"), fillMode: try fillMode(reader), interpolation: try interpolation(reader),
                                          seed: try seed(reader), fillValue: try reader.float("fill_value", default: 0), name: try optionalName(reader))
            },
            entry("RandomTranslation") { reader in
                try RandomTranslation(heightFactor: try factor(reader, "height_factor"), widthFactor: try factor(reader, "width_factor"),
                                      fillMode: try fillMode(reader), interpolation: try interpolation(reader), seed: try seed(reader),
                                      fillValue: try reader.float("fill_value", default: 0), name: try optionalName(reader))
            },
            entry("RandomZoom") { reader in
                try RandomZoom(heightFactor: try factor(reader, "height_factor"),
                               widthFactor: reader.has("width_factor") ? try factor(reader, "width_factor") : nil,
                               fillMode: try fillMode(reader), interpolation: try interpolation(reader), seed: try seed(reader),
                               fillValue: try reader.float("fill_value", default: 0), name: try optionalName(reader))
            },
            entry("RandomContrast") { reader in
                // Keras keeps (lower, upper) and draws the contrast from [1 − lower, 1 + upper]; a single
                // number f becomes (0, f), as Keras 3's constructor does.
                let range: (Double, Double)
                if let number = reader.config["factor"]?.doubleValue {
                    range = (0, abs(number))
                } else {
                    let pair = try factor(reader, "factor")
                    range = (pair.lower, pair.upper)
                }
                return try RandomContrast(lower: range.0, upper: range.1, valueRange: try valueRange(reader), seed: try seed(reader),
                                          name: try optionalName(reader))
            },
            entry("RandomBrightness") { reader in
                try RandomBrightness(try factor(reader, "factor"), valueRange: try valueRange(reader), seed: try seed(reader),
                                     name: try optionalName(reader))
            },
        ]
    }()

    /// A Keras factor: one number f (the range [−|f|, |f|]) or a list `[lower, upper]`.
    private static func factor(_ reader: KerasConfigReader, _ key: String) throws -> FactorRange {
        guard let value = reader.config[key], value != .null else { throw reader.fail("\"\(key)\" is missing") }
        if let number = value.doubleValue, number.isFinite { return FactorRange(number) }
        if let pair = value.arrayValue, pair.count == 2, let lower = pair[0].doubleValue, let upper = pair[1].doubleValue,
           lower.isFinite, upper.isFinite {
            return FactorRange(lower, upper)
        }
        throw reader.fail("\"\(key)\" must be a number or a list [lower, upper], got \(value)")
    }

    private static func seed(_ reader: KerasConfigReader) throws -> UInt64? {
        reader.has("seed") ? UInt64(try reader.int("seed", minimum: 0)) : nil
    }

    private static func fillMode(_ reader: KerasConfigReader) throws -> FillMode {
        let name = try reader.string("fill_mode", default: "reflect")
        guard let mode = FillMode(rawValue: name) else {
            throw reader.fail("\"fill_mode\" '\(name)' is not one of \(FillMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return mode
    }

    private static func interpolation(_ reader: KerasConfigReader) throws -> Interpolation {
        let name = try reader.string("interpolation", default: "bilinear")
        guard let interpolation = Interpolation(rawValue: name) else {
            throw reader.fail("\"interpolation\" '\(name)' is not supported (bilinear or nearest)")
        }
        return interpolation
    }

    private static func valueRange(_ reader: KerasConfigReader) throws -> ClosedRange<Float> {
        guard let value = reader.config["value_range"], value != .null else { return 0...255 }
        guard let pair = value.arrayValue, pair.count == 2, let low = pair[0].doubleValue, let high = pair[1].doubleValue,
              low.isFinite, high.isFinite, low < high else {
            throw reader.fail("\"value_range\" must be [low, high] with low < high, got \(value)")
        }
        return Float(low)...Float(high)
    }
}
