import Foundation
import HummingbirdCore
import Kestrel
import Logging
import NIOCore
import NIOPosix

/// The HTTP server behind a dashboard (Hummingbird 2 over SwiftNIO, one event-loop thread): the page, its event
/// stream, the live history and — over a folder — the runs' files. Started and stopped from synchronous code; the
/// training thread only ever hands it events (`EventBroadcaster`), so no client can slow `fit` down by blocking it.
final class DashboardServer: @unchecked Sendable {
    let state: DashboardState
    let folder: FolderScanCache?
    let limits: RequestLimits
    let host: String
    /// The connections open now, capped.
    let registry: ConnectionRegistry
    private let group: MultiThreadedEventLoopGroup
    private let runTask: Task<Void, Never>
    private let pingTask: Task<Void, Never>
    /// The port actually bound (the one asked for, or the free one picked for port 0).
    let port: Int

    /// Binds `host:port` and starts serving; returns once the socket listens.
    /// - Throws: `KestrelError` for a host that is not an IP address, a bad port, or a failed bind.
    init(host: String, port: Int, state: DashboardState, folder: FolderScanCache? = nil, limits: RequestLimits = RequestLimits()) throws {
        guard (0...65535).contains(port) else { throw DashboardError.badPort(port) }
        let literal = try Self.address(host: host, port: port)
        self.state = state
        self.folder = folder
        self.limits = limits
        self.host = host
        registry = ConnectionRegistry(cap: limits.connectionCap(descriptorLimit: DescriptorLimit.raiseToHardLimit()))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let routes = DashboardRoutes(state: state, folder: folder, fileStreams: StreamGate(limit: limits.maximumFileStreams))
        let channel = GuardedHTTP1Channel(limits: limits, registry: registry) { request, writer, channel in
            try await routes.respond(to: request, writer: writer, channel: channel)
        }
        let bound = ResultBox<Int>()
        let server = Server(childChannelSetup: channel,
                            configuration: ServerConfiguration(address: .hostname(literal, port: port), backlog: Self.backlog),
                            onServerRunning: { bound.set(.success($0.localAddress?.port ?? port)) },
                            eventLoopGroup: group, logger: Logger(label: "kestrel.dashboard") { _ in SwiftLogNoOpLogHandler() })
        runTask = Task {
            do { try await server.run() } catch { bound.set(.failure(error)) }
        }
        let events = state.events
        pingTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                events.ping()
            }
        }
        guard bound.wait(timeout: 15), let result = bound.result else {
            runTask.cancel(); pingTask.cancel()
            group.shutdownGracefully { _ in }
            throw DashboardError.timedOut("starting the server on \(host):\(port)", seconds: 15)
        }
        switch result {
        case .success(let actual):
            self.port = actual
        case .failure(let error):
            pingTask.cancel()
            group.shutdownGracefully { _ in }
            throw DashboardError.cannotListen(host: host, port: port, error)
        }
    }

    /// The page's address, e.g. http://127.0.0.1:8080/ (IPv6 hosts in brackets).
    var url: URL {
        let shownHost = host == "0.0.0.0" ? "127.0.0.1" : (host.contains(":") ? "[\(host)]" : host)
        return URL(string: "http://\(shownHost):\(port)/") ?? URL(fileURLWithPath: "/")
    }

    /// Ends every event stream, closes every connection and the listening socket.
    func stop() {
        state.events.finishAll()
        pingTask.cancel()
        runTask.cancel()
        registry.closeAll()
        let running = runTask
        _ = try? BlockingTask.run("stopping the server", timeout: 5) { await running.value }
        group.shutdownGracefully { _ in }
    }

    /// The listening socket's queue of connections not yet accepted: long enough that a burst of connections (a
    /// thousand at once) does not overflow it, which would drop a normal client's SYN and cost it a 1 s retransmit
    /// (the kernel caps it at net.core.somaxconn).
    static let backlog = 4096

    /// Whether `host` only accepts connections from this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// The IP literal to bind for `host` ("localhost" is 127.0.0.1), checked to be an IPv4 or IPv6 address.
    static func address(host: String, port: Int) throws -> String {
        let literal = host == "localhost" ? "127.0.0.1" : host
        guard (try? SocketAddress(ipAddress: literal, port: max(0, min(port, 65535)))) != nil else {
            throw DashboardError.badHost(host)
        }
        return literal
    }
}
