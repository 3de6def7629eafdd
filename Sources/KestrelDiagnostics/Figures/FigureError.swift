/// A figure could not be drawn or written; the message says why and what to change.
public struct FigureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One or two sentences.
    public var message: String
    /// An error with `message`.
    public init(message: String) { self.message = message }
    /// The message, which names what is at fault and the fix.
    public var description: String { message }
}
