extension Normalization: KerasSerializable {
    /// Keras's `Normalization.from_config`: `axis` (an integer, a list, or null/[] for Keras's `axis=None`),
    /// `invert`, and `mean`/`variance` (null when adapted — the statistics are then the weights `mean`,
    /// `variance`, `count` — or a number or flat list when given).
    public convenience init(config reader: KerasConfigReader) throws {
        let axes: [Int]
        switch reader.config["axis"] ?? .int(-1) {
        case .null: axes = []
        case .int(let value): axes = [value]
        case .array(let values):
            axes = try values.map { value in
                guard case .int(let axis) = value, (-64...64).contains(axis) else { throw reader.fail("\"axis\" must hold whole numbers, got \(value)") }
                return axis
            }
        case let other: throw reader.fail("\"axis\" must be a whole number, a list of them or null, got \(other)")
        }
        guard axes.count <= 8, Set(axes).count == axes.count else { throw reader.fail("\"axis\" must list distinct axes, got \(axes)") }
        let mean = try Self.statistic(reader, "mean"), variance = try Self.statistic(reader, "variance")
        guard (mean == nil) == (variance == nil) else { throw reader.fail("\"mean\" and \"variance\" must be given together") }
        let invert = try reader.bool("invert", default: false)
        let name = try reader.layerName()
        if let mean, let variance, mean.scalar, variance.scalar, axes.count <= 1 {
            self.init(axis: axes.first, mean: mean.values[0], variance: variance.values[0], invert: invert, name: name)
        } else {
            self.init(axes: axes, mean: mean?.values, variance: variance?.values, invert: invert, name: name)
        }
        do {
            try validateArguments()
        } catch {
            throw reader.fail("\(error)")
        }
    }

    /// A given statistic: null, one number, or a flat list of at most 2^20 numbers.
    private static func statistic(_ reader: KerasConfigReader, _ key: String) throws -> (values: [Float], scalar: Bool)? {
        guard let value = reader.config[key], value != .null else { return nil }
        if let number = value.doubleValue { return ([Float(number)], true) }
        guard let list = value.arrayValue, !list.isEmpty, list.count <= 1 << 20 else {
            throw reader.fail("\"\(key)\" must be null, a number or a non-empty flat list of numbers, got \(String(describing: value).prefix(60))")
        }
        return (try list.map { item in
            guard let number = item.doubleValue else {
                throw reader.fail("\"\(key)\" must be a flat list of numbers (nested lists for several axes are not supported), got \(String(describing: item).prefix(60))")
            }
            return Float(number)
        }, false)
    }
}
