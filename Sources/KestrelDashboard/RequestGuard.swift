import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Checks each parsed request head against `RequestLimits` before any route sees it, and answers the decoder's own
/// refusals: a request line or headers over the parser's bound (414 or 431), a malformed request (400). A refused
/// request gets its status with `Connection: close`; the connection then closes (`ConnectionGuard.LingeringClose`).
final class RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: RequestLimits
    private let state: ConnectionState
    private var refused = false

    init(limits: RequestLimits, state: ConnectionState) {
        self.limits = limits
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            if let refusal = rejection(for: head) {
                refuse(context: context, status: refusal.status, text: refusal.text)
                return
            }
            state.isResponding = true
        case .body:
            break
        case .end:
            state.requestReceived()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { state.isResponding = false }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !refused else { return }
        if case .headerOverflow = parserError {
            if state.requestLineIsLonger(than: limits.maximumTargetBytes) {
                refuse(context: context, status: .uriTooLong, text: "Request target longer than \(limits.maximumTargetBytes) bytes.\n")
            } else {
                refuse(context: context, status: .requestHeaderFieldsTooLarge,
                       text: "Request headers larger than \(limits.maximumHeaderBytes) bytes.\n")
            }
        } else {
            refuse(context: context, status: .badRequest, text: "Malformed request.\n")
        }
    }

    /// The status and text refusing `head`, or nil when it is within the limits.
    func rejection(for head: HTTPRequest) -> (status: HTTPResponse.Status, text: String)? {
        if (head.path?.utf8.count ?? 0) > limits.maximumTargetBytes {
            return (.uriTooLong, "Request target longer than \(limits.maximumTargetBytes) bytes.\n")
        }
        let headerBytes = head.headerFields.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
        if headerBytes > limits.maximumHeaderBytes {
            return (.requestHeaderFieldsTooLarge, "Request headers larger than \(limits.maximumHeaderBytes) bytes.\n")
        }
        let declared = head.headerFields[.contentLength].map { Int($0) ?? Int.max } ?? 0
        if declared > limits.maximumBodyBytes || head.headerFields[.transferEncoding] != nil {
            return (.contentTooLarge, "Request bodies are limited to \(limits.maximumBodyBytes) bytes.\n")
        }
        return nil
    }

    private func refuse(context: ChannelHandlerContext, status: HTTPResponse.Status, text: String) {
        refused = true
        let body = ByteBuffer(string: text)
        let head = HTTPResponse(status: status, headerFields: [.connection: "close", .contentType: "text/plain; charset=utf-8",
                                                               .contentLength: String(body.readableBytes)])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.triggerUserOutboundEvent(ConnectionGuard.LingeringClose(), promise: nil)
    }
}
