import CArchive
import Foundation

/// The Large Movie Review Dataset as users download it (`aclImdb_v1.tar.gz`, the archive the "Basic text
/// classification" tutorial fetches): unpacked through libarchive into `aclImdb/{train,test}/{pos,neg}/*.txt`
/// with the `unsup` folder left out, as the tutorial removes it (`shutil.rmtree(…/unsup)`), ready for
/// `textDatasetFromDirectory`.
///
/// The archive is streamed (never held whole in memory); only members named
/// `aclImdb/<train|test>/<pos|neg|unsup>/<name>.txt` are considered, so a crafted member name cannot
/// write outside the destination; each review must be UTF-8 text of at most `TextFileLimits.largestFileBytes`.
public enum AclImdbArchive {
    /// What `extract` wrote.
    public struct Summary: Sendable, Equatable {
        /// Reviews written per split and class: `["train/pos": 12500, …]`.
        public var counts: [String: Int] = [:]
        /// Members of the `unsup` folders left out.
        public var skippedUnsupervised = 0
    }

    /// The archive's file name as Keras's `get_file` saves it.
    public static let fileName = "aclImdb_v1.tar.gz"
    /// Where the tutorial downloads it from (for messages; Kestrel does not download it).
    public static let url = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"

    /// Unpacks the labelled reviews of `archive` into `destination/aclImdb/…` (folders made as needed).
    /// The reviews are written into a hidden staging folder beside it and moved into place only once
    /// the whole archive has been read, so an extraction that fails (a truncated download) or is killed
    /// half-way never leaves a partial `aclImdb` folder that a rerun would take for the complete set; an
    /// existing `destination/aclImdb` is replaced as a whole on success and left as it was on failure.
    /// Throws a `DataError` naming the archive for an empty, truncated or non-archive file, or a review
    /// that is not text.
    @discardableResult
    public static func extract(_ archive: String, to destination: String) throws -> Summary {
        removeAbandonedStagingFolders(in: destination)
        let staging = "\(destination)/\(stagingPrefix)\(getpid())-\(UUID().uuidString)"
        do {
            let summary = try unpack(archive, into: staging)
            try install("\(staging)/aclImdb", at: "\(destination)/aclImdb")
            try? FileManager.default.removeItem(atPath: staging)
            return summary
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// The name start of the staging folders `extract` unpacks into (followed by the process id).
    static let stagingPrefix = ".aclImdb-partial-"

    /// Removes staging folders left by extractions whose process no longer runs (killed half-way).
    private static func removeAbandonedStagingFolders(in destination: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? []
        for name in names where name.hasPrefix(stagingPrefix) {
            let owner = name.dropFirst(stagingPrefix.count).prefix { $0.isNumber }
            guard let process = Int32(owner), process != getpid(), kill(process, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: "\(destination)/\(name)")
        }
    }

    /// Moves the finished `staged` folder to `target`, replacing what was there only once the new one is in place.
    private static func install(_ staged: String, at target: String) throws {
        let files = FileManager.default
        let previous = target + ".replaced-\(UUID().uuidString)"
        let hadPrevious = files.fileExists(atPath: target)
        if hadPrevious, rename(target, previous) != 0 {
            throw DataError("\(target): the previous extraction cannot be moved aside (\(String(cString: strerror(errno)))); remove it and run again")
        }
        guard rename(staged, target) == 0 else {
            let reason = String(cString: strerror(errno))
            if hadPrevious { _ = rename(previous, target) }
            throw DataError("\(target): the extracted reviews cannot be moved into place (\(reason)); check that the folder is writable")
        }
        if hadPrevious { try? files.removeItem(atPath: previous) }
    }

    /// Streams the reviews of `archive` into `folder/aclImdb/…`.
    private static func unpack(_ archive: String, into folder: String) throws -> Summary {
        guard InputFile.kind(of: archive) != .missing else {
            throw DataError("\(archive): no such file; download \(url) (the tutorial's dataset) and pass its path")
        }
        let size = try InputFile.checkRegular(archive, expected: AclImdbArchive.fileName)
        guard size > 0 else { throw DataError("\(archive): is empty; download \(url) again") }
        guard let reader = archive_read_new() else { throw DataError("\(archive): libarchive could not start a reader") }
        defer { archive_read_free(reader) }
        archive_read_support_filter_all(reader)
        archive_read_support_format_tar(reader)
        guard archive_read_open_filename(reader, archive, 1 << 16) == ARCHIVE_OK else {
            throw failure(reader, archive, "cannot be opened as a .tar.gz archive")
        }
        var summary = Summary()
        var entry: OpaquePointer?
        var members = 0
        // The reviews written to disk are bounded like any inflated data (`Gzip.maximumRatio`): the real
        // archive unpacks about 6:1, a crafted one of many small members must not fill the disk.
        let writeLimit = Gzip.outputLimit(compressedCount: size)
        var written = 0
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw failure(reader, archive, "has an unreadable header after \(members) members (truncated or not a tar archive)")
            }
            members += 1
            guard archive_entry_filetype(entry) == 0o100000 else { continue }
            let path = (archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)).map { String(cString: $0) } ?? ""
            guard let (split, label, name) = reviewLocation(path) else { continue }
            if label == "unsup" {
                summary.skippedUnsupervised += 1
                continue
            }
            let count = archive_entry_size(entry)
            guard count >= 0, count <= Int64(TextFileLimits.largestFileBytes) else {
                throw DataError("\(archive): member \(path) claims \(count) bytes, more than a review can hold; the archive is damaged — download \(url) again")
            }
            let bytes = try TarArchive.readMember(reader, count: Int(count)) { filled in
                failure(reader, archive, "ends inside member \(path) (\(filled) of \(count) bytes)")
            }
            _ = try TextFileLimits.decode(bytes, source: "\(archive) (\(path))")
            written += bytes.count
            guard written <= writeLimit else {
                throw DataError("\(archive): unpacks to more than \(writeLimit) bytes, \(Gzip.maximumRatio) times its \(size) (a decompression bomb, not the reviews); download \(url) again")
            }
            let reviews = "\(folder)/aclImdb/\(split)/\(label)"
            try FileManager.default.createDirectory(atPath: reviews, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: "\(reviews)/\(name)", contents: Data(bytes)) else {
                throw DataError("\(reviews)/\(name): cannot be written; check that \((folder as NSString).deletingLastPathComponent) is writable and has space")
            }
            summary.counts["\(split)/\(label)", default: 0] += 1
        }
        guard !summary.counts.isEmpty else {
            throw DataError("\(archive): holds no aclImdb/train|test/pos|neg/*.txt reviews; it is not \(fileName) — download \(url)")
        }
        return summary
    }

    /// (split, label, file name) for `aclImdb/<train|test>/<pos|neg|unsup>/<name>.txt`, else nil.
    static func reviewLocation(_ path: String) -> (String, String, String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "aclImdb", ["train", "test"].contains(parts[1]),
              ["pos", "neg", "unsup"].contains(parts[2]) else { return nil }
        let name = parts[3]
        guard name.hasSuffix(".txt"), !name.hasPrefix("."), name.count <= 255,
              !name.contains("\\"), !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return nil }
        return (parts[1], parts[2], name)
    }

    private static func failure(_ reader: OpaquePointer, _ archive: String, _ what: String) -> DataError {
        let detail = archive_error_string(reader).map { String(cString: $0) } ?? "no details"
        return DataError("\(archive): \(what) (libarchive: \(detail)); download \(url) again")
    }
}
