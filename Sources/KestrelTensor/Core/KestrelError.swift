/// The error Kestrel throws for a user mistake: a wrong shape, an invalid argument, bad data, a file problem.
///
/// The message names what was wrong (the shapes, the argument, the layer or the file) and, where it can, the fix.
public enum KestrelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Shapes that do not fit together (broadcasting, matmul, reshape, layer input).
    case shapeMismatch(String)
    /// An argument outside its allowed range or of the wrong kind.
    case invalidArgument(String)
    /// Data that cannot be used as given (NaN, labels out of range, empty inputs).
    case invalidData(String)
    /// A file that is missing, unreadable or malformed.
    case fileError(String)
    /// An operation done in the wrong order (fit before compile, predict before build).
    case invalidState(String)

    /// The human-readable sentence(s) describing the problem.
    public var message: String {
        switch self {
        case .shapeMismatch(let text), .invalidArgument(let text), .invalidData(let text),
             .fileError(let text), .invalidState(let text):
            return text
        }
    }

    /// The message, which names what is at fault and the fix.
    public var description: String { message }
}

#if canImport(Foundation)
import Foundation
extension KestrelError: LocalizedError {
    /// The message, for `localizedDescription`.
    public var errorDescription: String? { message }
}
#endif
