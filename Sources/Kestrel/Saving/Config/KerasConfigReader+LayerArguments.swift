import KestrelData

/// The arguments several layers read the same way: the name, the seed, kernel arguments Kestrel does
/// not implement, 2-D borders, and the augmentation layers' factor, fill mode, interpolation and
/// value range (Keras 3's keys).
extension KerasConfigReader {
    /// The config's `name`, or nil (the layer then makes its own unique name).
    public func layerName() throws -> String? {
        has("name") ? try string("name") : nil
    }

    /// A random layer's `seed` (a whole number ≥ 0), or nil.
    public func seed() throws -> UInt64? {
        has("seed") ? UInt64(try int("seed", minimum: 0)) : nil
    }

    /// Refuses the constraint, quantization and LoRA settings of a kernel layer, which Kestrel does not implement.
    func requireNoKernelExtras() throws {
        try requireAbsent(["kernel_constraint", "bias_constraint", "quantization_config", "lora_rank"])
    }

    /// Refuses an `axis` other than the last (-1), for the normalisation layers.
    func requireLastAxis() throws {
        guard let axis = config["axis"], axis != .int(-1), axis != .ints([-1]) else { return }
        throw fail("\"axis\" = \(axis) is not supported; Kestrel normalises the last axis (-1)")
    }

    /// A positive `epsilon` (default 0.001).
    func epsilon() throws -> Float {
        let epsilon = try float("epsilon", default: 0.001)
        guard epsilon > 0 else { throw fail("\"epsilon\" must be positive, got \(epsilon)") }
        return epsilon
    }

    /// One axis number (`axis`, default -1).
    func axis() throws -> Int {
        guard let axis = try KerasConfigReader.wholeNumber(config["axis"] ?? .int(-1)), (-8...8).contains(axis) else {
            throw fail("\"axis\" must be one axis number")
        }
        return axis
    }

    /// Keras's 2-D border argument: one number, (vertical, horizontal), or ((top, bottom), (left, right)).
    func borders(_ key: String, default fallback: Int) throws -> ((Int, Int), (Int, Int)) {
        func number(_ value: ConfigValue) throws -> Int {
            guard let whole = try KerasConfigReader.wholeNumber(value), (0...1 << 20).contains(whole) else {
                throw fail("\"\(key)\" must hold non-negative whole numbers, got \(value)")
            }
            return whole
        }
        guard let value = config[key], value != .null else { return ((fallback, fallback), (fallback, fallback)) }
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

    /// A Keras factor: one number f (the range [−|f|, |f|]) or a list `[lower, upper]`.
    func factor(_ key: String) throws -> FactorRange {
        guard let value = config[key], value != .null else { throw fail("\"\(key)\" is missing") }
        if let number = value.doubleValue, number.isFinite { return FactorRange(number) }
        if let pair = value.arrayValue, pair.count == 2, let lower = pair[0].doubleValue, let upper = pair[1].doubleValue,
           lower.isFinite, upper.isFinite {
            return FactorRange(lower, upper)
        }
        throw fail("\"\(key)\" must be a number or a list [lower, upper], got \(value)")
    }

    /// `fill_mode` (default reflect).
    func fillMode() throws -> FillMode {
        let name = try string("fill_mode", default: "reflect")
        guard let mode = FillMode(rawValue: name) else {
            throw fail("\"fill_mode\" '\(name)' is not one of \(FillMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return mode
    }

    /// `interpolation` (default bilinear).
    func interpolation() throws -> Interpolation {
        let name = try string("interpolation", default: "bilinear")
        guard let interpolation = Interpolation(rawValue: name) else {
            throw fail("\"interpolation\" '\(name)' is not supported (bilinear or nearest)")
        }
        return interpolation
    }

    /// `value_range` as [low, high] with low < high (default [0, 255]).
    func valueRange() throws -> ClosedRange<Float> {
        guard let value = config["value_range"], value != .null else { return 0...255 }
        guard let pair = value.arrayValue, pair.count == 2, let low = pair[0].doubleValue, let high = pair[1].doubleValue,
              low.isFinite, high.isFinite, low < high else {
            throw fail("\"value_range\" must be [low, high] with low < high, got \(value)")
        }
        return Float(low)...Float(high)
    }
}

extension KerasConfigReader {
    /// The settings `DepthwiseConv2D` and `SeparableConv2D` read the same way: window, strides, padding,
    /// dilation and depth multiplier (channels_last, no constraints).
    func depthwiseArguments() throws -> (kernel: WindowSize, strides: WindowSize, padding: Padding, dilation: WindowSize, multiplier: Int) {
        try requireChannelsLast()
        try requireAbsent(["depthwise_constraint", "pointwise_constraint", "bias_constraint"])
        guard let kernel = try window("kernel_size") else { throw fail("\"kernel_size\" is missing") }
        return (kernel, try window("strides") ?? 1, try padding(), try window("dilation_rate") ?? 1, try int("depth_multiplier", default: 1))
    }
}
