import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import _NIOFileSystem

/// Answers the dashboard's requests: `GET /` (the page), `/events` (server-sent events), `/history.json`,
/// `/view.json?run=…` (the page's fragments for a selection of runs) and, over a folder, `/files/PATH` (streamed in
/// 64 KiB chunks as the client reads them). Every failure is an HTTP status; nothing a client sends can stop the server.
struct DashboardRoutes: Sendable {
    let state: DashboardState
    let folder: FolderScanCache?
    let pages = RenderedPageCache()
    /// The files being sent now, capped.
    let fileStreams: StreamGate

    /// Writes the response to `request`; a HEAD request gets the GET response's head only.
    func respond(to request: Request, writer: consuming ResponseWriter, channel: any Channel) async throws {
        let response = try await makeResponse(to: request, channel: channel)
        if request.method == .head {
            try await writer.write(response: response.head, body: ResponseBody())
        } else {
            try await writer.write(response: response.head, body: response.body)
        }
    }

    /// The response to `request` (its body unsent).
    func makeResponse(to request: Request, channel: any Channel) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            var response = DashboardResponses.plain(.methodNotAllowed, "Only GET is served.\n")
            if let allow = HTTPField.Name("Allow") { response.headers[allow] = "GET, HEAD" }
            return response
        }
        // The raw (percent-encoded, not normalised) path, so that `..` in any spelling is seen and refused.
        let path = request.uri.path
        let selection = Self.runSelection(query: request.uri.query)
        switch path {
        case "/", "/index.html":
            refreshFolder()
            let html = pages.page(version: state.version, selection: selection) {
                Data(DashboardPage.html(state.view().payload(selection: selection.isEmpty ? nil : selection)).utf8)
            }
            return DashboardResponses.data(html, type: "text/html; charset=utf-8")
        case "/events":
            refreshFolder()
            guard let stream = state.events.subscribe(initial: state.initialEvents()) else {
                return DashboardResponses.plain(.serviceUnavailable, "Too many pages are listening; close one.\n")
            }
            var headers = DashboardResponses.headers(type: "text/event-stream; charset=utf-8")
            if let buffering = HTTPField.Name("X-Accel-Buffering") { headers[buffering] = "no" }
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for await event in stream { try await writer.write(ByteBuffer(bytes: event)) }
                try await writer.finish(nil)
            })
        case "/history.json":
            refreshFolder()
            guard let data = try state.historyJSON(run: selection.first) else {
                return DashboardResponses.plain(.notFound, "No run named '\(selection.first ?? "")'.\n")
            }
            return DashboardResponses.data(data, type: "application/json")
        case "/view.json":
            refreshFolder()
            let json = try pages.view(version: state.version, selection: selection) {
                try JSONEncoder().encode(state.view().payload(selection: selection.isEmpty ? nil : selection))
            }
            return DashboardResponses.data(json, type: "application/json")
        default:
            if path.hasPrefix("/files/"), let folder {
                guard let file = folder.folder.file(atRequestPath: String(path.dropFirst("/files/".count))),
                      let size = try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize else {
                    return DashboardResponses.plain(.notFound, "No such file in the run folder.\n")
                }
                let headers = DashboardResponses.headers(type: Self.contentType(file.pathExtension))
                if request.method == .head { return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: size) { try await $0.finish(nil) }) }
                guard fileStreams.enter() else {
                    return DashboardResponses.plain(.serviceUnavailable, "Too many files are being sent; try again later.\n")
                }
                return Response(status: .ok, headers: headers,
                                body: Self.streamedFile(file, size: size, channel: channel, gate: fileStreams))
            }
            return DashboardResponses.plain(.notFound, "Not found. The dashboard serves /, /events, /history.json and /view.json.\n")
        }
    }

    /// The file's first `size` bytes (its size when checked), read 64 KiB at a time, each chunk only once the client
    /// has taken the previous ones (the channel is writable again): a client that stops reading holds a few chunks,
    /// not the file.
    static func streamedFile(_ file: URL, size: Int, channel: any Channel, gate: StreamGate) -> ResponseBody {
        // The gate was entered for this body; it is left when the body ends, however it ends.
        let exit = GateExit(gate: gate)
        return ResponseBody(contentLength: size) { writer in
            defer { exit.leave() }
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(file.path)) { handle in
                var sent: Int64 = 0
                for try await chunk in handle.readChunks(in: 0..<Int64(size), chunkLength: .kibibytes(64)) {
                    sent += Int64(chunk.readableBytes)
                    try await writer.write(chunk)
                    try await waitUntilWritable(channel)
                }
                // A file that shrank since its size was read: end the connection rather than send a short body.
                guard sent == Int64(size) else { throw FileShrank() }
            }
            try await writer.finish(nil)
        }
    }

    /// Waits while `channel` has more unsent bytes than its high-water mark (its reader is slow or stalled), checking
    /// at intervals growing to 100 ms; a reader stalled for `RequestLimits.stalledWriteTimeout` has its connection
    /// closed, which ends the wait.
    static func waitUntilWritable(_ channel: any Channel) async throws {
        var pause: UInt64 = 1_000_000
        while !channel.isWritable {
            guard channel.isActive else { throw ChannelError.ioOnClosedChannel }
            try await Task.sleep(nanoseconds: pause)
            pause = min(pause * 2, 100_000_000)
        }
    }

    /// The file being served got shorter while it was sent.
    struct FileShrank: Error {}

    /// The runs named by `run=` parameters of a raw query string (percent-decoded).
    static func runSelection(query: String?) -> Set<String> {
        guard let query else { return [] }
        var names = Set<String>()
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "run", let value = String(parts[1]).removingPercentEncoding else { continue }
            names.insert(value)
        }
        return names
    }

    /// Over a folder, checks (at most once a second) whether it changed, in the background: a page load never waits
    /// for a re-read (100k files take seconds); the pages get the new runs as an update event.
    private func refreshFolder() {
        guard let folder, folder.claimCheckIfDue() else { return }
        let state = self.state
        Task.detached {
            guard let runs = folder.refresh() else { return }
            state.update { $0.runs = runs }
            state.publishUpdate()
        }
    }

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "json": return "application/json"
        case "csv", "txt", "log": return "text/plain; charset=utf-8"
        case "png": return "image/png"
        case "svg": return "image/svg+xml"
        case "jpg", "jpeg": return "image/jpeg"
        default: return "application/octet-stream"
        }
    }
}
