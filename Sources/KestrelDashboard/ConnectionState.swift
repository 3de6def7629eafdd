import NIOConcurrencyHelpers

/// What one connection is doing, shared by its two guards (`ConnectionGuard` on the bytes, `RequestGuard` on the
/// parsed request) and read by the `ConnectionRegistry` when it must choose a connection to close.
final class ConnectionState: @unchecked Sendable {
    private let lock = NIOLock()
    private var sawLineFeedValue = false
    private var requestLineBytes = 0
    private var receivingValue = false
    private var generationValue = 0
    private var respondingValue = false

    /// Whether the request being received has passed its request line.
    var sawLineFeed: Bool { lock.withLock { sawLineFeedValue } }

    /// Whether the request line being received (so far, when its end has not arrived) is longer than `bytes`: an
    /// overflow is then in the request target (414), otherwise in the headers (431).
    func requestLineIsLonger(than bytes: Int) -> Bool { lock.withLock { requestLineBytes > bytes } }

    /// Whether a response is being written (the connection is then not closed to make room for another).
    var isResponding: Bool {
        get { lock.withLock { respondingValue } }
        set { lock.withLock { respondingValue = newValue } }
    }

    /// Notes `count` bytes of a request, the first line feed at `lineFeed` among them if any; returns the request's
    /// number when they start a new one (for its deadline).
    func noteRequestBytes(count: Int, lineFeed: Int?) -> Int? {
        lock.withLock {
            if !sawLineFeedValue {
                requestLineBytes += lineFeed ?? count
                if lineFeed != nil { sawLineFeedValue = true }
            }
            guard !receivingValue else { return nil }
            receivingValue = true
            generationValue += 1
            return generationValue
        }
    }

    /// The request has been received whole: the next bytes start a new one.
    func requestReceived() {
        lock.withLock {
            receivingValue = false
            sawLineFeedValue = false
            requestLineBytes = 0
        }
    }

    /// Whether request number `generation` is still being received (its deadline has then passed).
    func isStillReceiving(_ generation: Int) -> Bool {
        lock.withLock { receivingValue && generationValue == generation }
    }
}
