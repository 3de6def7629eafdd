import FlyingFox
import Foundation

/// Answers the dashboard's requests: `GET /` (the page), `/events` (server-sent events), `/history.json`,
/// `/view.json?run=…` (the page's fragments for a selection of runs) and, over a folder, `/files/PATH`.
/// Every failure is an HTTP status; nothing a client sends can stop the server.
struct DashboardRoutes: HTTPHandler {
    let state: DashboardState
    let folder: RunFolder?
    let limits: RequestLimits

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let rejection = limits.rejection(for: request) { return rejection }
        guard request.method == .GET || request.method == .HEAD else {
            var response = DashboardResponses.plain(.methodNotAllowed, "Only GET is served.\n")
            response.headers[HTTPHeader("Allow")] = "GET, HEAD"
            return response
        }
        // The raw (percent-encoded, not normalised) path, so that `..` in any spelling is seen and refused.
        let path = request.target.path()
        let selection = Set(request.query.filter { $0.name == "run" }.map(\.value))
        switch path {
        case "/", "/index.html":
            refreshFolder()
            let payload = state.view().payload(selection: selection.isEmpty ? nil : selection)
            return DashboardResponses.data(Data(DashboardPage.html(payload).utf8), type: "text/html; charset=utf-8")
        case "/events":
            refreshFolder()
            guard let stream = state.events.subscribe(initial: state.initialEvents()) else {
                return DashboardResponses.plain(.serviceUnavailable, "Too many pages are listening; close one.\n")
            }
            return HTTPResponse(statusCode: .ok,
                                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                          HTTPHeader("X-Accel-Buffering"): "no"],
                                body: HTTPBodySequence(from: EventByteSequence(events: stream)))
        case "/history.json":
            refreshFolder()
            guard let data = try state.historyJSON(run: selection.first) else {
                return DashboardResponses.plain(.notFound, "No run named '\(selection.first ?? "")'.\n")
            }
            return DashboardResponses.data(data, type: "application/json")
        case "/view.json":
            refreshFolder()
            let payload = state.view().payload(selection: selection.isEmpty ? nil : selection)
            return DashboardResponses.data(try JSONEncoder().encode(payload), type: "application/json")
        default:
            if path.hasPrefix("/files/"), let folder {
                guard let url = folder.file(atRequestPath: String(path.dropFirst("/files/".count))) else {
                    return DashboardResponses.plain(.notFound, "No such file in the run folder.\n")
                }
                return DashboardResponses.data(try Data(contentsOf: url), type: Self.contentType(url.pathExtension))
            }
            return DashboardResponses.plain(.notFound, "Not found. The dashboard serves /, /events, /history.json and /view.json.\n")
        }
    }

    /// Over a folder, re-reads the logs so that new and growing runs appear.
    private func refreshFolder() {
        guard let folder else { return }
        let runs = folder.scan().runs
        state.update { $0.runs = runs }
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
