import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `kestrel` process the abuse test runs (under `prlimit` for a descriptor limit): its port, and its memory and
/// CPU time read from /proc while it runs.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private(set) var port = 0

    /// Starts `kestrel arguments…` with at most `descriptors` open descriptors and waits for the line naming its
    /// address (`linePrefix` … `http://127.0.0.1:PORT/`).
    init(kestrel: String, arguments: [String], descriptors: Int, linePrefix: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--nofile=\(descriptors):\(descriptors)", kestrel] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var text = ""
        while Date() < deadline, process.isRunning {
            guard let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty else { break }
            text += String(decoding: byte, as: UTF8.self)
            if text.hasSuffix("\n") {
                if text.contains(linePrefix), let range = text.range(of: #"127\.0\.0\.1:\d+/"#, options: .regularExpression) {
                    port = Int(text[range].dropFirst("127.0.0.1:".count).dropLast()) ?? 0
                    break
                }
                text = ""
            }
        }
        guard port > 0 else {
            stop()
            throw AbuseError("\(arguments.first ?? "kestrel") did not print its address")
        }
        // Keep draining its output so that it never blocks on a full pipe.
        let handle = output.fileHandleForReading
        Thread.detachNewThread { while let data = try? handle.read(upToCount: 65536), !data.isEmpty {} }
    }

    /// The resident memory now, in MB.
    var residentMegabytes: Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kilobytes / 1024
    }

    /// User and system CPU seconds used so far.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return .nan }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Whether the process is still alive.
    var isRunning: Bool { process.isRunning }

    /// Ends the process.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// A failure of the abuse test's own set-up.
struct AbuseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
