import Foundation

/// Server-sent events (`text/event-stream`) fanned out to every connected page: each subscriber gets an
/// `AsyncStream` of encoded events, bounded so that a slow reader loses old updates rather than growing memory.
final class EventBroadcaster: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [Int: AsyncStream<Data>.Continuation] = [:]
    private var nextID = 0
    private var sequence = 0
    /// At most this many pages at once; more are refused with 503.
    let maximumSubscribers: Int

    init(maximumSubscribers: Int = 32) { self.maximumSubscribers = maximumSubscribers }

    /// The number of pages listening now.
    var count: Int { lock.withLock { subscribers.count } }

    /// A new stream that starts with `initial` events (nil when there are too many subscribers).
    func subscribe(initial: [Data]) -> AsyncStream<Data>? {
        lock.withLock {
            guard subscribers.count < maximumSubscribers else { return nil }
            let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(256))
            let id = nextID
            nextID += 1
            continuation.onTermination = { [weak self] _ in self?.remove(id) }
            for event in initial { continuation.yield(event) }
            subscribers[id] = continuation
            return stream
        }
    }

    private func remove(_ id: Int) { _ = lock.withLock { subscribers.removeValue(forKey: id) } }

    /// Sends one event, `event: NAME` with `payload` as its single data line, to every subscriber.
    func publish(event name: String, payload: Data) {
        let encoded = lock.withLock { () -> Data in
            sequence += 1
            return Self.encode(event: name, id: sequence, payload: payload)
        }
        for continuation in lock.withLock({ Array(subscribers.values) }) { continuation.yield(encoded) }
    }

    /// A comment line that keeps proxies and idle timeouts from closing the stream and detects closed pages.
    func ping() {
        let comment = Data(": ping\n\n".utf8)
        for continuation in lock.withLock({ Array(subscribers.values) }) { continuation.yield(comment) }
    }

    /// Ends every stream (the server is stopping).
    func finishAll() {
        let all = lock.withLock { () -> [AsyncStream<Data>.Continuation] in
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }

    /// One event in the SSE wire format; the payload is JSON without raw newlines, so one `data:` line suffices.
    static func encode(event name: String, id: Int?, payload: Data) -> Data {
        var text = "event: \(name)\n"
        if let id { text += "id: \(id)\n" }
        let body = String(decoding: payload, as: UTF8.self)
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        text += "data: \(body)\n\n"
        return Data(text.utf8)
    }
}
