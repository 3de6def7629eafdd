import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore

/// Small response builders.
enum DashboardResponses {
    /// A plain-text response; `close` adds `Connection: close`.
    static func plain(_ status: HTTPResponse.Status, _ text: String, close: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if close { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A 200 response with `data` of content type `type`, never cached.
    static func data(_ data: Data, type: String) -> Response {
        Response(status: .ok, headers: headers(type: type), body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The headers of a 200 response of content type `type`.
    static func headers(type: String) -> HTTPFields {
        var fields: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if let nosniff = HTTPField.Name("X-Content-Type-Options") { fields[nosniff] = "nosniff" }
        return fields
    }
}
