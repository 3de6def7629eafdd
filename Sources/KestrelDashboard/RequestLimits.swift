/// Bounds on what a client may make the dashboard hold: request size, time and connections.
///
/// The request line and headers are bounded while they are parsed (SwiftNIO's HTTP decoder stops at
/// `maximumHeaderBytes`, before anything is buffered past it): a longer request target gets 414, larger headers 431,
/// a declared body over `maximumBodyBytes` (or any chunked body) 413 — each with `Connection: close`, and the
/// connection is closed. Time: a connection that sends nothing for `idleTimeout` seconds is closed, and so is one that
/// takes longer than `requestTimeout` seconds to send a whole request (slowloris) or whose reader takes nothing for
/// `stalledWriteTimeout` seconds (a stalled download or event stream). At most `maximumConnections` connections are
/// served at once (fewer when the process's descriptor limit is lower); past that, the oldest connection that is not
/// in the middle of a response is closed to make room, or the new one is refused with 503. At most
/// `maximumFileStreams` files are sent at once, so that downloads cannot use up the descriptors either.
public struct RequestLimits: Sendable {
    /// The longest request target (path and query), in bytes.
    public var maximumTargetBytes = 4096
    /// The most header bytes (names and values).
    public var maximumHeaderBytes = 16_384
    /// The largest body accepted (the dashboard needs none).
    public var maximumBodyBytes = 1024
    /// The most connections open at once.
    public var maximumConnections = 512
    /// The most files (`GET /files/…`) sent at once; each holds a descriptor, and more are refused with 503.
    public var maximumFileStreams = 32
    /// Seconds a connection may stay open without a request before it is closed.
    public var idleTimeout: Double = 10
    /// Seconds a client may take to send one whole request (line, headers and body) once it has started.
    public var requestTimeout: Double = 10
    /// Seconds a response may wait on a client that reads nothing before the connection is closed.
    public var stalledWriteTimeout: Double = 30

    /// The default limits.
    public init() {}

    /// The connection cap for a process that may open `descriptorLimit` descriptors: `maximumConnections`, but
    /// always leaving room for the files being served and the rest of the process (an eighth, at least 64).
    /// Connections then never exhaust the descriptors; if something else does, SwiftNIO's accept backoff retries
    /// `accept` a second later and the listening socket stays open.
    func connectionCap(descriptorLimit: Int) -> Int {
        let reserve = max(64, descriptorLimit / 8)
        return max(1, min(maximumConnections, descriptorLimit - reserve))
    }
}
