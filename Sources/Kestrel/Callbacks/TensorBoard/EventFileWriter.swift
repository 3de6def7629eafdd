import Foundation

/// Appends records to one TensorBoard event file, `<folder>/events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2`
/// as TensorFlow names them. Like TensorFlow's writer it appends (TensorBoard reads the file while it grows
/// and skips a record cut short at the end); `flush` hands what was written to the system.
final class EventFileWriter {
    /// The file being written.
    let path: String
    private let handle: FileHandle
    private var pending: [UInt8] = []

    /// Creates `folder` (and its parents) and a new event file in it, starting with the file-version event.
    init(folder: String, fileIndex: Int) throws {
        let now = Date().timeIntervalSince1970
        let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_")
        let name = "events.out.tfevents.\(Int(now)).\(host).\(ProcessInfo.processInfo.processIdentifier).\(fileIndex).v2"
        path = (folder as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw KestrelError.fileError("TensorBoard: cannot create the log folder '\(folder)' (\(error.localizedDescription)); pass a logDir you can write to.")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw KestrelError.fileError("TensorBoard: cannot create the event file '\(path)'; check the permissions of logDir.")
        }
        self.handle = handle
        append(SummaryEvent.fileVersion(wallTime: now))
        try flush()
    }

    /// Queues one event (its serialized bytes) as a record.
    func append(_ event: [UInt8]) { pending += RecordFraming.frame(event) }

    /// Writes the queued records to the file.
    func flush() throws {
        guard !pending.isEmpty else { return }
        do {
            try handle.write(contentsOf: Data(pending))
            pending.removeAll(keepingCapacity: true)
        } catch {
            throw KestrelError.fileError("TensorBoard: cannot write '\(path)' (\(error.localizedDescription)).")
        }
    }

    /// Writes what is queued and closes the file.
    func close() throws {
        try flush()
        try? handle.close()
    }
}
