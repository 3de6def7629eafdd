/// The error every KestrelData API throws: a message that names the file or argument at fault and how to fix it.
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, which file or argument, and what to do about it.
    public let message: String

    /// An error with `message`, which should name the file or argument and the fix.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }

    static func corruptFile(_ path: String, _ reason: String) -> DataError {
        DataError("\(path): \(reason). The file is corrupt or truncated; delete it and fetch it again.")
    }

    static func invalidArgument(_ name: String, _ reason: String) -> DataError {
        DataError("invalid argument `\(name)`: \(reason)")
    }
}
