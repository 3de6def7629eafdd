/// How a weight's first values are drawn (Keras's `kernel_initializer`/`bias_initializer`).
///
/// Random initializers draw from the global seeded sequence, so `Kestrel.setRandomSeed(_:)` makes
/// them reproducible.
public enum Initializer: Sendable, Equatable {
    case zeros
    case ones
    case constant(Float)
    /// Uniform in ±sqrt(6 / (fanIn + fanOut)) — Keras's default for kernels.
    case glorotUniform
    /// Truncated normal with stddev sqrt(2 / (fanIn + fanOut)).
    case glorotNormal
    /// Uniform in ±sqrt(6 / fanIn).
    case heUniform
    /// Truncated normal with stddev sqrt(2 / fanIn).
    case heNormal
    /// Uniform in ±sqrt(3 / fanIn).
    case lecunUniform
    /// Normal with the given mean and standard deviation (Keras default 0, 0.05).
    case randomNormal(mean: Float = 0, standardDeviation: Float = 0.05)
    /// Uniform in [minimum, maximum) (Keras default ±0.05).
    case randomUniform(minimum: Float = -0.05, maximum: Float = 0.05)

    /// Parses Keras's string names ("glorot_uniform", "he_normal", "zeros"…).
    public static func named(_ name: String) throws -> Initializer {
        guard let initializer = kerasInitializers.first(where: { $0.kerasName == name }) else {
            throw KestrelError.invalidArgument(
                "Unknown initializer '\(name)'; use one of \(kerasInitializers.map(\.kerasName).joined(separator: ", ")).")
        }
        return initializer
    }

    /// Keras's fan-in and fan-out: for kernels of rank > 2 the receptive field multiplies both.
    static func fans(_ shape: [Int]) -> (fanIn: Float, fanOut: Float) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (Float(shape[0]), Float(shape[0]))
        case 2: return (Float(shape[0]), Float(shape[1]))
        default:
            let receptive = shape.dropLast(2).reduce(Float(1)) { $0 * Float($1) }  // in Float: cannot overflow
            return (receptive * Float(shape[shape.count - 2]), receptive * Float(shape[shape.count - 1]))
        }
    }

    /// Draws a tensor of `shape`.
    public func make(shape: [Int]) throws -> Tensor {
        var generator = GlobalRandom.makeGenerator()
        let (fanIn, fanOut) = Initializer.fans(shape)
        switch self {
        case .zeros: return try .zeros(shape)
        case .ones: return try .ones(shape)
        case .constant(let value): return try .full(shape, value: value)
        case .glorotUniform:
            let limit = (6 / (fanIn + fanOut)).squareRoot()
            return try .randomUniform(shape, low: -limit, high: limit, generator: &generator)
        case .glorotNormal:
            // Keras divides by .87962566 so the truncated distribution has the wanted variance.
            let deviation = (2 / (fanIn + fanOut)).squareRoot() / 0.879_625_66
            return try .truncatedNormal(shape, standardDeviation: deviation, generator: &generator)
        case .heUniform:
            let limit = (6 / fanIn).squareRoot()
            return try .randomUniform(shape, low: -limit, high: limit, generator: &generator)
        case .heNormal:
            let deviation = (2 / fanIn).squareRoot() / 0.879_625_66
            return try .truncatedNormal(shape, standardDeviation: deviation, generator: &generator)
        case .lecunUniform:
            let limit = (3 / fanIn).squareRoot()
            return try .randomUniform(shape, low: -limit, high: limit, generator: &generator)
        case .randomNormal(let mean, let deviation):
            return try .randomNormal(shape, mean: mean, standardDeviation: deviation, generator: &generator)
        case .randomUniform(let minimum, let maximum):
            return try .randomUniform(shape, low: minimum, high: maximum, generator: &generator)
        }
    }
}
