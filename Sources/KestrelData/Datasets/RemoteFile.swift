/// A dataset file with its canonical download address and published SHA-256.
public struct RemoteFile: Sendable, Equatable {
    /// File name, both on the server and in the cache.
    public var name: String
    /// Directory URL on the canonical server (ends with "/").
    public var baseURL: String
    /// Lowercase hex SHA-256 of the file as published.
    public var sha256: String

    /// A file `name` fetched from `baseURL` and checked against its SHA-256 digest (hex).
    public init(name: String, baseURL: String, sha256: String) {
        self.name = name
        self.baseURL = baseURL
        self.sha256 = sha256
    }
}
