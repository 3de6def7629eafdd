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

    /// Unpacks the labelled reviews of `archive` into `destination/aclImdb/…` (folders made as needed;
    /// existing files with the same names are replaced). Throws a `DataError` naming the archive for an
    /// empty, truncated or non-archive file, or a review that is not text.
    @discardableResult
    public static func extract(_ archive: String, to destination: String) throws -> Summary {
        let attributes = try? FileManager.default.attributesOfItem(atPath: archive)
        guard let size = attributes?[.size] as? Int else {
            throw DataError("\(archive): no such file; download \(url) (the tutorial's dataset) and pass its path")
        }
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
            let folder = "\(destination)/aclImdb/\(split)/\(label)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data(bytes)) else {
                throw DataError("\(folder)/\(name): cannot be written; check that \(destination) is writable and has space")
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
