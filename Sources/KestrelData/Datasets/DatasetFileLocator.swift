import Foundation

/// Finds a dataset file: explicit directory → `$KESTREL_HOME/datasets/<dataset>` (default `~/.kestrel/datasets`)
/// → the Debian package directory → download into the cache. Cached files are SHA-256 checked; a bad one is deleted and re-fetched.
public struct DatasetFileLocator: Sendable {
    /// A directory the caller named; files found here are used as they are.
    public var explicitDirectory: String?
    /// The cache directory for this dataset.
    public var cacheDirectory: String
    /// Where a Debian package installs the files, if one does.
    public var systemDirectory: String?
    /// Replaces the canonical server (a mirror, or a local server in tests).
    public var mirror: String?
    /// How downloads are made.
    public var downloader: FileDownloader

    /// Looks for `datasetName`'s files in `explicitDirectory`, then the cache under `cacheRoot` (default `defaultCacheRoot()`), then `systemDirectory`, then downloads from `mirror` or the canonical server through `downloader`.
    public init(datasetName: String, explicitDirectory: String? = nil, cacheRoot: String? = nil, systemDirectory: String? = nil,
                mirror: String? = nil, downloader: FileDownloader = FileDownloader()) {
        self.explicitDirectory = explicitDirectory
        self.cacheDirectory = (cacheRoot ?? DatasetFileLocator.defaultCacheRoot()) + "/" + datasetName
        self.systemDirectory = systemDirectory
        self.mirror = mirror
        self.downloader = downloader
    }

    /// `$KESTREL_HOME/datasets`, or `~/.kestrel/datasets`.
    public static func defaultCacheRoot() -> String {
        if let home = ProcessInfo.processInfo.environment["KESTREL_HOME"], !home.isEmpty { return home + "/datasets" }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.kestrel/datasets"
    }

    /// The local path of `file`, downloading it if no usable copy exists.
    public func locate(_ file: RemoteFile) throws -> String {
        let manager = FileManager.default
        if let explicitDirectory {
            let path = explicitDirectory + "/" + file.name
            guard manager.fileExists(atPath: path) else {
                throw DataError("\(path): not found; the directory passed to load() must hold \(file.name)")
            }
            return path
        }
        let cached = cacheDirectory + "/" + file.name
        if manager.fileExists(atPath: cached) {
            if try FileDigest.sha256(ofFile: cached) == file.sha256 { return cached }
            FileHandle.standardError.write(Data("warning: \(cached) fails its SHA-256 check (corrupt or truncated); fetching it again\n".utf8))
            try? manager.removeItem(atPath: cached)
        }
        if let systemDirectory {
            let path = systemDirectory + "/" + file.name
            if manager.fileExists(atPath: path) { return path }
        }
        let base = mirror.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? file.baseURL
        guard let url = URL(string: base + file.name) else { throw DataError.invalidArgument("mirror", "\(base) is not a URL") }
        try downloader.download(url, to: cached, sha256: file.sha256)
        return cached
    }
}
