import FlyingFox

/// Bounds on what a request may carry; the dashboard only answers small GET requests.
///
/// FlyingFox 0.27.1 reads the request line and headers before a handler runs (with no cap of its own), so these
/// are enforced on the decoded request: a longer target gets 414, larger headers 431, any body over
/// `maximumBodyBytes` 413 — each with `Connection: close`, and the connection is then closed (FlyingFox would
/// otherwise keep an HTTP/1.1 connection open and read the refused body as the next request). Bodies are never
/// read: the server is configured so that a body larger than 4 KiB stays unread on the socket until it closes.
public struct RequestLimits: Sendable {
    /// The longest request target (path and query), in bytes.
    public var maximumTargetBytes = 4096
    /// The most header bytes (names and values).
    public var maximumHeaderBytes = 16_384
    /// The largest body accepted (the dashboard needs none).
    public var maximumBodyBytes = 1024

    /// The default limits.
    public init() {}

    /// The error response for `request`, or nil when it is within the limits.
    func rejection(for request: HTTPRequest) -> HTTPResponse? {
        if request.target.rawValue.utf8.count > maximumTargetBytes {
            return DashboardResponses.plain(.uriTooLong, "Request target longer than \(maximumTargetBytes) bytes.\n", close: true)
        }
        var headerBytes = 0
        for (name, value) in request.headers { headerBytes += name.rawValue.utf8.count + value.utf8.count + 4 }
        if headerBytes > maximumHeaderBytes {
            return DashboardResponses.plain(.requestHeaderFieldsTooLarge, "Request headers larger than \(maximumHeaderBytes) bytes.\n", close: true)
        }
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        if declared > maximumBodyBytes || request.headers[.transferEncoding] != nil {
            return DashboardResponses.plain(.payloadTooLarge, "Request bodies are limited to \(maximumBodyBytes) bytes.\n", close: true)
        }
        return nil
    }
}

/// Small response builders.
enum DashboardResponses {
    static func plain(_ status: HTTPStatusCode, _ text: String, close: Bool = false) -> HTTPResponse {
        var headers: HTTPHeaders = [.contentType: "text/plain; charset=utf-8"]
        guard close else { return HTTPResponse(statusCode: status, headers: headers, body: Data(text.utf8)) }
        headers[.connection] = "close"
        let bytes = Array(text.utf8)
        return HTTPResponse(statusCode: status, headers: headers,
                            body: HTTPBodySequence(from: ClosingBody(bytes: bytes), count: bytes.count))
    }

    static func data(_ data: Data, type: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [.contentType: type, HTTPHeader("Cache-Control"): "no-store",
                                                HTTPHeader("X-Content-Type-Options"): "nosniff"], body: data)
    }
}

import Foundation
import FlyingSocks

/// A response body that, once sent in full, throws: FlyingFox then closes the connection, which is how a refused
/// request's connection is ended (a handler has no other way to close it).
struct ClosingBody: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let bytes: [UInt8]

    func makeAsyncIterator() -> Iterator { Iterator(bytes: bytes) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var bytes: [UInt8]
        var sent = false

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            guard !sent else { throw CloseConnection() }
            sent = true
            return bytes
        }
    }

    /// Thrown after the body: ends the connection.
    struct CloseConnection: Error {}
}
