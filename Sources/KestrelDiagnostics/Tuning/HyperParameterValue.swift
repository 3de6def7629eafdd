/// One value a hyper-parameter takes in a trial: a whole number, a real number or a choice's text.
public enum HyperParameterValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A value of an integer range (`hp.Int`).
    case int(Int)
    /// A value of a real range (`hp.Float`).
    case float(Double)
    /// One of a choice's values (`hp.Choice`), as written.
    case text(String)

    /// The value as written into the model spec and the reports (`480`, `0.25`, `1e-05`, `relu`).
    public var description: String {
        switch self {
        case let .int(value): return String(value)
        case let .float(value): return value.description
        case let .text(value): return value
        }
    }

    /// The value as a number (a choice's text read as one), if it is one.
    public var number: Double? {
        switch self {
        case let .int(value): return Double(value)
        case let .float(value): return value
        case let .text(value): return Double(value)
        }
    }
}
