import Foundation
import Kestrel
import KestrelDiagnostics

/// The dashboard's page over the finished runs in a folder (`kestrel serve DIR`): every training log found
/// (`RunFolder.scan()`) in the run list, overlaid and selectable like TensorBoard's runs. The folder is checked for
/// changes every `rescanInterval` seconds (and on a page load, at most once a second) and read again only when a
/// folder or log in it changed (`FolderScanCache`); pages are told when runs appear or grow. `GET /files/PATH`
/// streams a file of the folder (report.html, figures) and nothing outside it.
public final class FolderDashboard: @unchecked Sendable {
    /// The folder served.
    public let folder: RunFolder
    /// The page's address.
    public let url: URL
    /// Unreadable CSV logs found at start, one sentence each.
    public let problems: [String]
    private let server: DashboardServer
    private let scans: FolderScanCache
    private let watcher: Task<Void, Never>

    /// Starts serving `folder` on `host:port` (port 0 picks a free one).
    /// - Throws: `KestrelError` for a bad host or port or a failed bind.
    public init(folder: RunFolder, port: Int = 0, host: String = "127.0.0.1", rescanInterval: Double = 5,
                limits: RequestLimits = RequestLimits()) throws {
        self.folder = folder
        let state = DashboardState(title: "Kestrel runs", isFolder: true)
        let scans = FolderScanCache(folder: folder, minimumInterval: min(1, max(0.1, rescanInterval)))
        self.scans = scans
        problems = scans.problems
        let runs = scans.runs
        state.update {
            $0.runs = runs
            $0.subtitle = folder.root.path
        }
        server = try DashboardServer(host: host, port: port, state: state, folder: scans, limits: limits)
        url = server.url
        let interval = UInt64(max(0.1, rescanInterval) * 1e9)
        watcher = Task {
            var signature = Self.signature(runs)
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: interval)
                if let changed = scans.refresh() { state.update { $0.runs = changed } }
                // A page load may have picked up the change first: compare with what pages were last told.
                let now = Self.signature(scans.runs)
                if now != signature {
                    signature = now
                    state.publishUpdate()
                }
            }
        }
    }

    deinit { stop() }

    /// Whether the host only accepts connections from this machine.
    public var isLoopback: Bool { DashboardServer.isLoopback(server.host) }

    /// The number of runs found in the folder by its latest scan.
    public var runCount: Int { scans.runs.count }

    /// The connections open now.
    var openConnections: Int { server.registry.count }

    /// Stops watching and serving.
    public func stop() {
        watcher.cancel()
        server.stop()
    }

    private static func signature(_ runs: [DashboardRun]) -> [String] { runs.map { "\($0.name)#\($0.log.count)" } }
}
