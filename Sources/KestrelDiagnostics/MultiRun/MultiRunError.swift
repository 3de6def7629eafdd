/// Why runs could not be aggregated. Each message names the argument and the fix.
public enum MultiRunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An empty list of runs or variants.
    case noRuns(argument: String)
    /// Two variants share a name.
    case duplicateVariant(String)

    /// The message, which names what is at fault and the fix.
    public var description: String {
        switch self {
        case .noRuns(let argument): return "\(argument) has no runs; pass at least one training log."
        case .duplicateVariant(let name): return "Two variants are named '\(name)'; give each variant its own name."
        }
    }
}
