import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare loopback TCP client for the dashboard abuse test: sends exactly the bytes given, reads what comes back,
/// every operation bounded by a timeout.
final class AbuseClient: @unchecked Sendable {
    let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; nil when the connection is refused or fails (e.g. out of descriptors).
    init?(port: Int, timeout: Double = 5, receiveBuffer: Int? = nil) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
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
        guard result == 0 else {
            close(descriptor)
            return nil
        }
    }

    deinit { close(descriptor) }

    /// Sends every byte; false when the peer closed or the send timed out.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        return bytes.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            while sent < buffer.count {
                let count = Glibc.send(descriptor, base + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return false }
                sent += count
            }
            return true
        }
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the peer closes, `limit` bytes, or the receive timeout.
    func readAll(limit: Int = 4 << 20) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while received.count < limit {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: chunk[0..<count])
        }
        return received
    }

    /// The status code of the response that comes back (reads until the peer closes or the timeout).
    func status() -> Int {
        let text = String(decoding: readAll(limit: 1 << 16), as: UTF8.self)
        return Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Whether the server has closed (or reset) the connection, without waiting.
    var isClosedByPeer: Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if count == 0 { return true }
        if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        return false
    }

    /// One `GET target` with `Connection: close`: the status (0 when none came) and the seconds it took.
    static func get(port: Int, target: String = "/", timeout: Double = 5) -> (status: Int, seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        var status = 0
        if let client = AbuseClient(port: port, timeout: timeout),
           client.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") {
            status = client.status()
        }
        return (status, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
