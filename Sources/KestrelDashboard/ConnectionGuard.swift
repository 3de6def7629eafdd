import NIOCore

/// The first handler on every connection, on its raw bytes: admits the connection to the `ConnectionRegistry`
/// (or refuses it with 503), closes a connection whose request takes longer than `requestTimeout` to arrive
/// (slowloris) or whose reader takes nothing for `stalledWriteTimeout` while a response waits, and — after a refusal
/// (`LingeringClose`) — stops passing bytes on, closes the sending side so the client reads the refusal, and closes
/// the connection shortly after, discarding whatever else arrives (no parsing, so a 2 MB header costs a read).
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline by `RequestGuard` once a refusal is written.
    struct LingeringClose {}

    private let registry: ConnectionRegistry
    private let state: ConnectionState
    private let limits: RequestLimits
    private var admitted = false
    private var discarding = false
    private var stallTimer: Scheduled<Void>?
    private var requestTimer: Scheduled<Void>?
    private var lingerTimer: Scheduled<Void>?

    init(registry: ConnectionRegistry, state: ConnectionState, limits: RequestLimits) {
        self.registry = registry
        self.state = state
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        registry.remove(context.channel)
        for timer in [stallTimer, requestTimer, lingerTimer] { timer?.cancel() }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !discarding else { return }
        let bytes = unwrapInboundIn(data)
        let view = bytes.readableBytesView
        let lineFeed = state.sawLineFeed ? nil : view.firstIndex(of: UInt8(ascii: "\n")).map { $0 - view.startIndex }
        if let generation = state.noteRequestBytes(count: bytes.readableBytes, lineFeed: lineFeed) {
            requestTimer?.cancel()
            requestTimer = schedule(context, after: limits.requestTimeout) { [state] context in
                if state.isStillReceiving(generation) { context.close(promise: nil) }
            }
        }
        context.fireChannelRead(data)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        stallTimer?.cancel()
        stallTimer = nil
        if !context.channel.isWritable {
            stallTimer = schedule(context, after: limits.stalledWriteTimeout) { context in context.close(promise: nil) }
        }
        context.fireChannelWritabilityChanged()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is LingeringClose else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed()
        guard !discarding else { return }
        discarding = true
        context.flush()
        context.close(mode: .output, promise: nil)
        lingerTimer = schedule(context, after: 2) { context in context.close(promise: nil) }
    }

    private func admit(context: ChannelHandlerContext) {
        guard !admitted else { return }
        admitted = true
        guard registry.admit(context.channel, state: state) else {
            discarding = true
            let body = "Too many connections; try again later.\n"
            let refusal = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: refusal)), promise: nil)
            context.close(promise: nil)
            return
        }
    }

    private func schedule(_ context: ChannelHandlerContext, after seconds: Double,
                          _ body: @escaping (ChannelHandlerContext) -> Void) -> Scheduled<Void> {
        let amount = TimeAmount.milliseconds(Int64(max(0.001, min(seconds, 86_400)) * 1000))
        return context.eventLoop.assumeIsolated().scheduleTask(in: amount) { body(context) }
    }
}
