import Foundation
import Kestrel
import KestrelDiagnostics

/// A folder of finished runs for `kestrel serve`: every training log in it (Kestrel history JSON written by
/// `fit`, Keras `history.history` JSON, Keras CSVLogger CSV), and the files it may serve — only files inside it.
public struct RunFolder: Sendable {
    /// The folder, absolute, with symbolic links resolved.
    public let root: URL
    /// How deep below `root` logs are looked for.
    public var maximumDepth = 4
    /// Log files larger than this are skipped (bytes).
    public var maximumLogBytes = 16 << 20
    /// Files larger than this are not served (bytes).
    public var maximumServedBytes = 64 << 20

    /// The folder at `path`.
    /// - Throws: `KestrelError.fileError` when it does not exist or is not a folder.
    public init(path: String) throws {
        let kind = InputFile.kind(of: path)
        guard kind == .directory else {
            let what = kind == .missing ? "is not a folder (it does not exist)" : "is not a folder but \(kind.description)"
            throw KestrelError.fileError("serve: '\(path)' \(what); give the folder holding history.json or CSVLogger .csv files (e.g. out/fit).")
        }
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL.resolvingSymlinksInPath()
    }

    /// The runs found, sorted by name, and one sentence per file that looked like a log but could not be read.
    /// A run's name is its path relative to the folder without the extension; `x.json` wins over `x.csv`.
    public func scan() -> (runs: [DashboardRun], problems: [String]) {
        let result = scanWithStamps()
        return (result.runs, result.problems)
    }

    /// `scan()`, with the stamp (`FileStamp`) of every folder walked and every log file looked at, taken before it
    /// was read: while none of them changes, neither do the runs (`FolderScanCache`).
    func scanWithStamps() -> (runs: [DashboardRun], problems: [String], stamps: [String: FileStamp]) {
        var found: [String: (url: URL, isJSON: Bool)] = [:]
        var stamps: [String: FileStamp] = [:]
        stamps[root.path] = FileStamp(path: root.path)
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey, .fileSizeKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys,
                                                          options: [.skipsHiddenFiles]) else { return ([], [], stamps) }
        for case let url as URL in walker {
            if walker.level > maximumDepth { walker.skipDescendants(); continue }
            let ext = url.pathExtension.lowercased()
            guard ext == "json" || ext == "csv" else {
                if walker.level < maximumDepth, (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                    stamps[url.path] = FileStamp(path: url.path)
                }
                continue
            }
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            stamps[url.path] = FileStamp(path: url.path)
            guard (values.fileSize ?? 0) <= maximumLogBytes, let relative = relativePath(url) else { continue }
            let name = String(relative.dropLast(ext.count + 1))
            if let existing = found[name], existing.isJSON { continue }
            found[name] = (url, ext == "json")
        }
        var runs: [DashboardRun] = []
        var problems: [String] = []
        for name in found.keys.sorted() {
            guard let file = found[name] else { continue }
            do {
                runs.append(DashboardRun(name: name, log: try TrainingLogReader.read(contentsOf: file.url), isFinished: true))
            } catch {
                // JSON files that are not logs (diagnosis.json, config.json) are skipped quietly.
                if !file.isJSON { problems.append("\(name).csv: \(error)") }
            }
        }
        return (runs, problems, stamps)
    }

    /// The file at `requestPath` (percent-encoded, relative to the folder), or nil when it is outside the folder,
    /// names a parent (`..`) or hidden component, is not a regular file, or is too large.
    public func file(atRequestPath requestPath: String) -> URL? {
        guard requestPath.utf8.count <= 1024, let decoded = requestPath.removingPercentEncoding,
              !decoded.contains("\0"), !decoded.contains("\\") else { return nil }
        let components = decoded.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else { return nil }
        let candidate = components.reduce(root) { $0.appendingPathComponent(String($1)) }
            .standardizedFileURL.resolvingSymlinksInPath()
        guard relativePath(candidate) != nil,
              let values = try? candidate.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
              values.isRegularFile == true, (values.fileSize ?? .max) <= maximumServedBytes else { return nil }
        return candidate
    }

    /// `url`'s path below the root, or nil when it is not strictly inside it.
    func relativePath(_ url: URL) -> String? {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        guard path.hasPrefix(base), path.count > base.count else { return nil }
        return String(path.dropFirst(base.count))
    }
}
