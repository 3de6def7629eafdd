import ArgumentParser
import Foundation
import Kestrel
import KestrelDashboard

/// `kestrel serve DIR`: the dashboard's page over the finished runs in a folder.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard page over the finished runs in a folder (history.json from fit, Keras CSVLogger .csv files).",
        discussion: """
        Every training log under DIR (four levels deep) is a run: its name is its
        path without the extension (history.json wins over history.csv). The runs
        are overlaid and can be selected in the run list, like TensorBoard's;
        the folder is read again every few seconds, so runs that appear or grow
        show up. /files/PATH serves the folder's files (report.html, figures)
        and nothing outside it. Slow, idle and oversized requests are cut off
        (RequestLimits). Stop with Ctrl-C.
        """
    )

    @Argument(help: "The folder of runs, e.g. out/fit.")
    var directory: String

    @Option(parsing: .unconditional, help: "The port (0 picks a free one).")
    var port: Int = 6006

    @Option(help: "The address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface, with a warning).")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("max-connections"), parsing: .unconditional, help: "The most connections served at once (default 512, and always fewer than the descriptor limit allows); past it, the oldest idle connection is closed.")
    var maxConnections: Int = RequestLimits().maximumConnections

    func run() throws {
        StandardOutput.lineBuffered()
        guard maxConnections >= 1 else { throw CommandFailure(message: "--max-connections must be at least 1, got \(maxConnections).") }
        var limits = RequestLimits()
        limits.maximumConnections = maxConnections
        let served: FolderDashboard
        do {
            served = try FolderDashboard(folder: try RunFolder(path: directory), port: port, host: host, limits: limits)
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        }
        if !served.isLoopback {
            FileHandle.standardError.write(Data("Warning: listening on \(host), so other machines that can reach this one can read these runs (there is no login); use --host 127.0.0.1 to keep it local.\n".utf8))
        }
        for problem in served.problems { FileHandle.standardError.write(Data("Skipped \(problem)\n".utf8)) }
        let count = served.runCount
        print("Serving \(count) run\(count == 1 ? "" : "s") from \(served.folder.root.path) on \(served.url.absoluteString) — press Ctrl-C to stop.")
        while true { Thread.sleep(forTimeInterval: 3600) }
    }
}
