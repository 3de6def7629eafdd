import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads one URL to a file through URLSession: streamed to a temporary file, SHA-256 checked, then atomically renamed.
/// An interrupted or corrupt transfer leaves nothing at the destination.
public struct FileDownloader: Sendable {
    /// Print a progress bar on standard error.
    public var showsProgress: Bool
    /// Seconds without data before the transfer is abandoned.
    public var timeout: TimeInterval

    /// A downloader that prints a progress line when `showsProgress` and gives up on a connection after `timeout` seconds.
    public init(showsProgress: Bool = true, timeout: TimeInterval = 60) {
        self.showsProgress = showsProgress
        self.timeout = timeout
    }

    /// Downloads `url` to `destination`, verifying `sha256` (lowercase hex) when given.
    public func download(_ url: URL, to destination: String, sha256: String?) throws {
        let directory = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError("\(directory): cannot create the dataset cache directory (\(error.localizedDescription)); set KESTREL_HOME to a writable directory")
        }
        let temporary = directory + "/.\((destination as NSString).lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw DataError("\(temporary): cannot create a temporary download file; check that \(directory) is writable")
        }
        let receiver = DownloadReceiver(handle: handle, progress: DownloadProgressBar(label: "Downloading \(url.lastPathComponent)", enabled: showsProgress))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: nil)
        session.dataTask(with: url).resume()
        receiver.waitUntilFinished()
        session.finishTasksAndInvalidate()
        try? handle.close()
        do {
            let outcome = receiver.outcome
            if let failure = outcome.failure {
                throw DataError("download of \(url.absoluteString) failed: \(failure). Check the network, or place the file at \(destination) yourself")
            }
            if let expected = outcome.expectedLength, expected >= 0, expected != outcome.receivedLength {
                throw DataError("download of \(url.absoluteString) was interrupted: \(outcome.receivedLength) of \(expected) bytes arrived. Try again")
            }
            if let sha256 {
                let actual = try FileDigest.sha256(ofFile: temporary)
                guard actual == sha256.lowercased() else {
                    throw DataError("download of \(url.absoluteString) has SHA-256 \(actual) but \(sha256) was expected; the transfer is corrupt or the server sent another file. Try again")
                }
            }
            try FileIO.rename(temporary, to: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}

/// What a finished transfer reported.
struct DownloadOutcome: Sendable {
    var failure: String?
    var expectedLength: Int64?
    var receivedLength: Int64 = 0
}

/// URLSession delegate writing the body to a file handle as it arrives.
final class DownloadReceiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let handle: FileHandle
    private let progress: DownloadProgressBar
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var state = DownloadOutcome()

    init(handle: FileHandle, progress: DownloadProgressBar) {
        self.handle = handle
        self.progress = progress
    }

    var outcome: DownloadOutcome { lock.withLock { state } }

    func waitUntilFinished() { finished.wait() }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        lock.withLock {
            if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                state.failure = "the server answered HTTP \(http.statusCode)"
            }
            state.expectedLength = response.expectedContentLength
        }
        completionHandler(outcome.failure == nil ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (received, expected): (Int64, Int64) = lock.withLock {
            handle.write(data)
            state.receivedLength += Int64(data.count)
            return (state.receivedLength, state.expectedLength ?? -1)
        }
        progress.update(received: received, expected: expected)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock {
            if let error, state.failure == nil { state.failure = error.localizedDescription }
        }
        progress.finish()
        finished.signal()
    }
}
