/// A report or chart file could not be written; the message names the path and the fix.
public struct ReportWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The destination path.
    public var path: String
    /// What went wrong and what to do.
    public var reason: String

    /// An error for `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "Cannot write '\(path)': \(reason)." }
}
