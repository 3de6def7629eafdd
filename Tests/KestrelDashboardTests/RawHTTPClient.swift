import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bare TCP client for the tests: sends exactly the bytes given (no path normalisation, unlike URLSession,
/// which would remove `..` before sending) and reads what comes back, optionally in the background.
final class RawHTTPClient: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    private var received = Data()
    private var closed = false

    init(port: Int, receiveBuffer: Int? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ClientError("socket() failed") }
        if var size = receiveBuffer.map({ Int32($0) }) {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(descriptor); throw ClientError("connect() to port \(port) failed") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Closes the connection both ways now (a background reader then stops).
    func hangUp() { Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// Sends `bytes`; false when the peer has closed the connection.
    @discardableResult
    func send(_ bytes: Data) -> Bool {
        var sent = 0
        return bytes.withUnsafeBytes { buffer -> Bool in
            while sent < buffer.count {
                let count = Glibc.send(descriptor, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return false }
                sent += count
            }
            return true
        }
    }

    func send(_ text: String) { send(Data(text.utf8)) }

    /// Reads until the peer closes (or the 20 s receive timeout).
    func readAll() -> Data {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count <= 0 { break }
            lock.withLock { received.append(contentsOf: chunk[0..<count]) }
        }
        lock.withLock { closed = true }
        return lock.withLock { received }
    }

    /// Starts reading in the background (for an event stream); `text` is what arrived so far.
    func readInBackground() {
        Thread.detachNewThread { [self] in _ = self.readAll() }
    }

    var text: String { lock.withLock { String(decoding: received, as: UTF8.self) } }

    /// Whether the reading has ended: the peer closed the connection (or the receive timeout passed).
    var isClosed: Bool { lock.withLock { closed } }

    /// Waits until `condition(text)` holds, at most `timeout` seconds.
    func wait(timeout: Double, until condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(text) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(text)
    }

    /// One GET with `Connection: close`; returns the status code and the body (chunked bodies decoded).
    static func get(port: Int, target: String) throws -> (status: Int, headers: String, body: String) {
        let client = try RawHTTPClient(port: port)
        client.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return parse(client.readAll())
    }

    static func parse(_ data: Data) -> (status: Int, headers: String, body: String) {
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return (0, text, "") }
        let head = String(text[..<split.lowerBound])
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var body = String(text[split.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { body = dechunk(body) }
        return (status, head, body)
    }

    static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var out = ""
        while let line = rest.range(of: "\r\n"), let size = Int(rest[..<line.lowerBound], radix: 16), size > 0 {
            let start = line.upperBound
            let bytes = Array(rest[start...].utf8)
            out += String(decoding: bytes.prefix(size), as: UTF8.self)
            rest = Substring(String(decoding: bytes.dropFirst(size + 2), as: UTF8.self))
        }
        return out
    }

    struct ClientError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
