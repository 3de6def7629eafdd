import FlyingFox
import FlyingSocks
import Foundation
import Kestrel

/// The HTTP server behind a dashboard (FlyingFox): the page, its event stream, the live history and — over a
/// folder — the runs' files. Started and stopped from synchronous code.
final class DashboardServer: @unchecked Sendable {
    let state: DashboardState
    let folder: RunFolder?
    let limits: RequestLimits
    let host: String
    private let server: HTTPServer
    private let runTask: Task<Void, Never>
    private let pingTask: Task<Void, Never>
    /// The port actually bound (the one asked for, or the free one picked for port 0).
    let port: Int

    /// Binds `host:port` and starts serving; returns once the socket listens.
    /// - Throws: `KestrelError` for a host that is not an IP address, a bad port, or a failed bind.
    init(host: String, port: Int, state: DashboardState, folder: RunFolder? = nil, limits: RequestLimits = RequestLimits()) throws {
        guard (0...65535).contains(port) else { throw DashboardError.badPort(port) }
        self.state = state
        self.folder = folder
        self.limits = limits
        self.host = host
        let address = try Self.address(host: host, port: UInt16(port))
        // Bodies over 4 KiB are neither buffered nor replayed: they stay unread and the connection is closed.
        let config = HTTPServer.Configuration(address: address, timeout: 15, sharedRequestBufferSize: 4096,
                                              sharedRequestReplaySize: 4096, logger: .disabled)
        let routes = DashboardRoutes(state: state, folder: folder, limits: limits)
        let server = HTTPServer(config: config, handler: routes)
        self.server = server
        let started = ResultBox<Void>()
        runTask = Task {
            do { try await server.run() } catch { started.set(.failure(error)) }
        }
        Task {
            do { try await server.waitUntilListening(timeout: 10); started.set(.success(())) } catch { started.set(.failure(error)) }
        }
        let events = state.events
        pingTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                events.ping()
            }
        }
        guard started.wait(timeout: 15), let result = started.result else {
            runTask.cancel(); pingTask.cancel()
            throw DashboardError.timedOut("starting the server on \(host):\(port)", seconds: 15)
        }
        if case .failure(let error) = result {
            pingTask.cancel()
            throw DashboardError.cannotListen(host: host, port: port, error)
        }
        let bound = try BlockingTask.run("reading the bound port", timeout: 5) { await server.listeningAddress }
        switch bound {
        case .ip4(_, let actual)?, .ip6(_, let actual)?: self.port = Int(actual)
        default: self.port = port
        }
    }

    /// The page's address, e.g. http://127.0.0.1:8080/ (IPv6 hosts in brackets).
    var url: URL {
        let shownHost = host == "0.0.0.0" ? "127.0.0.1" : (host.contains(":") ? "[\(host)]" : host)
        return URL(string: "http://\(shownHost):\(port)/") ?? URL(fileURLWithPath: "/")
    }

    /// Ends every event stream and closes the server.
    func stop() {
        state.events.finishAll()
        pingTask.cancel()
        let server = self.server
        _ = try? BlockingTask.run("stopping the server", timeout: 5) { await server.stop(timeout: 1) }
        runTask.cancel()
    }

    /// Whether `host` only accepts connections from this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// The socket address for an IPv4 or IPv6 literal ("localhost" is 127.0.0.1).
    static func address(host: String, port: UInt16) throws -> any SocketAddress {
        let literal = host == "localhost" ? "127.0.0.1" : host
        do {
            if literal.contains(":") { return try sockaddr_in6.inet6(ip6: literal, port: port) }
            guard literal.split(separator: ".").count == 4 else { throw DashboardError.badHost(host) }
            return try sockaddr_in.inet(ip4: literal, port: port)
        } catch let error as KestrelError {
            throw error
        } catch {
            throw DashboardError.badHost(host)
        }
    }
}
