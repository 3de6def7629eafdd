import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with the dashboard's guards: `ConnectionGuard` first on the raw bytes,
/// SwiftNIO's decoder bounded by `RequestLimits` (it refuses an over-long line or header while parsing), then
/// `RequestGuard` on the parsed request, and Hummingbird's idle timeout.
struct GuardedHTTP1Channel: HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let limits: RequestLimits
    let registry: ConnectionRegistry
    let responder: HTTPChannelHandler.Responder

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let state = ConnectionState()
        let limits = self.limits
        do {
            // A small kernel send buffer: a reader that stops reading holds 128 KiB of kernel memory and the few
            // chunks in flight, not megabytes (the dashboard's pages and figures need no more on loopback).
            try channel.syncOptions?.setOption(ChannelOptions.socketOption(.so_sndbuf), value: 128 << 10)
            try channel.pipeline.syncOperations.addHandler(ConnectionGuard(registry: registry, state: state, limits: limits),
                                                           position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        // The target counts as a header field in the decoder's totals; the exact bounds are RequestGuard's.
        let fieldBound = max(limits.maximumTargetBytes, limits.maximumHeaderBytes) + 1
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: fieldBound, maxHeaderListSize: limits.maximumTargetBytes + limits.maximumHeaderBytes + 1,
            maxHeaderFieldCount: 200)
        let configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestGuard(limits: limits, state: state)],
            idleTimeout: .milliseconds(Int64(max(0.001, limits.idleTimeout) * 1000)),
            httpDecoderConfiguration: decoder)
        return HTTP1Channel(responder: responder, configuration: configuration).setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
