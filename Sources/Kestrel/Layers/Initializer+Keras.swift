/// Keras 3's names, config and `from_config()` for each initializer, in one place.
extension Initializer {
    /// Every initializer Keras's format can hold, with Keras's default settings; the list that
    /// `named(_:)` and `init(kerasClassName:config:)` look names up in.
    static let kerasInitializers: [Initializer] = [
        .zeros, .ones, .constant(0), .glorotUniform, .glorotNormal, .heUniform, .heNormal, .lecunUniform, .randomNormal(), .randomUniform(),
    ]

    /// Keras's `class_name` ("GlorotUniform").
    var kerasClassName: String {
        switch self {
        case .zeros: return "Zeros"
        case .ones: return "Ones"
        case .constant: return "Constant"
        case .glorotUniform: return "GlorotUniform"
        case .glorotNormal: return "GlorotNormal"
        case .heUniform: return "HeUniform"
        case .heNormal: return "HeNormal"
        case .lecunUniform: return "LecunUniform"
        case .randomNormal: return "RandomNormal"
        case .randomUniform: return "RandomUniform"
        }
    }

    /// Keras's string name ("glorot_uniform"): the class name in snake case.
    var kerasName: String {
        kerasClassName.enumerated().map { index, letter in
            letter.isUppercase ? (index == 0 ? "" : "_") + letter.lowercased() : String(letter)
        }.joined()
    }

    /// Keras's `get_config()`.
    var config: LayerConfig {
        switch self {
        case .zeros, .ones: return [:]
        case .constant(let value): return ["value": KerasObjects.number(value)]
        case .glorotUniform, .glorotNormal, .heUniform, .heNormal, .lecunUniform:
            return ["seed": .null, "input_axes": .null, "output_axes": .null]
        case let .randomNormal(mean, deviation):
            return ["seed": .null, "mean": KerasObjects.number(mean), "stddev": KerasObjects.number(deviation)]
        case let .randomUniform(minimum, maximum):
            return ["seed": .null, "minval": KerasObjects.number(minimum), "maxval": KerasObjects.number(maximum)]
        }
    }

    /// Keras's `from_config()`: the initializer `className` names, its settings read from `config`
    /// (Keras's defaults where absent); throws naming the class and the known ones when unknown.
    init(kerasClassName className: String, config: LayerConfig) throws {
        guard let prototype = Initializer.kerasInitializers.first(where: { $0.kerasClassName == className }) else {
            throw KestrelError.invalidData(
                "initializer \(className) is not supported (use \(Initializer.kerasInitializers.map(\.kerasClassName).joined(separator: ", ")))")
        }
        func float(_ key: String, _ fallback: Float) -> Float { config[key]?.doubleValue.map(Float.init) ?? fallback }
        switch prototype {
        case .constant(let value): self = .constant(float("value", value))
        case let .randomNormal(mean, deviation): self = .randomNormal(mean: float("mean", mean), standardDeviation: float("stddev", deviation))
        case let .randomUniform(minimum, maximum): self = .randomUniform(minimum: float("minval", minimum), maximum: float("maxval", maximum))
        default: self = prototype
        }
    }
}
