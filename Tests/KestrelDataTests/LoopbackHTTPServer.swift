import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests: serves fixed bodies, or cuts a body short to simulate an interrupted transfer.
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Route {
        var body: [UInt8]
        var status = 200
        /// Send only this many body bytes (while announcing the full length), then close the connection.
        var sendOnly: Int?
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var routes: [String: Route] = [:]
    private var requests: [String] = []

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw DataTestError("socket() failed") }
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listener = self.listener
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw DataTestError("bind/listen failed") }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)/" }

    var requestedPaths: [String] { lock.withLock { requests } }

    func serve(_ path: String, _ route: Route) {
        lock.withLock { routes[path] = route }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            respond(to: client)
            close(client)
        }
    }

    private func respond(to client: Int32) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return }
            request += buffer[0..<count]
        }
        let firstLine = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self)
        let parts = firstLine.split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : "/"
        let route: Route? = lock.withLock {
            requests.append(path)
            return routes[path]
        }
        let chosen = route ?? Route(body: Array("not found".utf8), status: 404)
        let reason = chosen.status == 200 ? "OK" : "Not Found"
        let header = "HTTP/1.1 \(chosen.status) \(reason)\r\nContent-Length: \(chosen.body.count)\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
        sendAll(client, Array(header.utf8))
        sendAll(client, Array(chosen.body.prefix(chosen.sendOnly ?? chosen.body.count)))
    }

    private func sendAll(_ client: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4) where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}

struct DataTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
