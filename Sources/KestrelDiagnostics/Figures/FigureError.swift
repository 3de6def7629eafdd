/// A figure could not be drawn or written; the message says why and what to change.
public struct FigureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One or two sentences.
    public var message: String
    /// An error with `message`.
    public init(message: String) { self.message = message }
    public var description: String { message }
}
