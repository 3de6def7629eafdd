#if canImport(Glibc)
import Glibc
#endif

/// How much `fit`, `evaluate` and `predict` print: Keras's `verbose` argument ("auto", 0, 1, 2).
/// Write `verbose: 0`, `verbose: 1`, `verbose: 2` or leave the default `.auto`.
public enum Verbosity: Sendable, Equatable, ExpressibleByIntegerLiteral {
    /// A progress bar on a terminal, one line per epoch otherwise.
    case auto
    /// Nothing.
    case silent
    /// Keras's progress bar (redrawn in place on a terminal).
    case progressBar
    /// One line per epoch.
    case oneLinePerEpoch

    /// Keras's integers: 0 silent, 1 the progress bar, 2 (or more) one line per epoch.
    public init(integerLiteral value: Int) {
        switch value {
        case 0: self = .silent
        case 1: self = .progressBar
        default: self = .oneLinePerEpoch
        }
    }

    /// Keras's integer level after resolving `.auto` against whether stdout is a terminal.
    var level: Int {
        switch self {
        case .auto: return isatty(STDOUT_FILENO) != 0 ? 1 : 2
        case .silent: return 0
        case .progressBar: return 1
        case .oneLinePerEpoch: return 2
        }
    }
}
