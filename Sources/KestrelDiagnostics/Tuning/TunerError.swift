/// A tuning request that cannot run (a malformed template, an empty range, an absurd trial count):
/// one sentence naming the argument and the fix.
public struct TunerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The sentence.
    public let message: String
    /// The error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
