import Foundation
import XCTest

/// Runs the built `kestrel` executable (from the same build directory as this test bundle); tests
/// that use it are skipped when the executable has not been built.
enum KestrelExecutable {
    private final class BundleMarker {}

    static func url() throws -> URL {
        // Linux: the bundle URL is the build directory itself; macOS: the .xctest bundle inside it.
        var directory = Bundle(for: BundleMarker.self).bundleURL
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        let candidate = directory.appendingPathComponent("kestrel")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw XCTSkip("kestrel executable not built at \(candidate.path)")
        }
        return candidate
    }

    /// Runs `kestrel arguments…` (in `directory` when given, with `environment` added) and returns its exit status and output.
    /// With `timeout`, a run still going after that many seconds is killed (status 128 + SIGKILL), so a hang fails the test.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                    timeout: Double? = nil) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let identifier = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(identifier, SIGKILL) }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog) }
        defer { watchdog.cancel() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
