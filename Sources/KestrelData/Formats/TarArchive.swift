import CArchive

/// The regular files of a POSIX ustar / GNU / pax tar archive, read (and, for tests and fixtures,
/// written) with libarchive.
///
/// Every member must fit in the archive it came from: a header that claims more bytes than the
/// archive holds, or a negative size, is a thrown `DataError`, checked before anything is allocated.
public struct TarArchive: Sendable {
    /// The archive's regular files, by path inside the archive, in archive order.
    public private(set) var files: [(path: String, contents: [UInt8])] = []

    /// Parses an uncompressed tar archive.
    /// - Parameter source: the file name used in error messages.
    public init(bytes: [UInt8], source: String) throws {
        guard !bytes.isEmpty else { throw DataError.corruptFile(source, "the tar archive is empty") }
        guard let reader = archive_read_new() else { throw DataError("\(source): libarchive could not start a reader") }
        defer { archive_read_free(reader) }
        archive_read_support_format_tar(reader)
        files = try bytes.withUnsafeBytes { raw in
            guard archive_read_open_memory(reader, raw.baseAddress, raw.count) == ARCHIVE_OK else {
                throw TarArchive.failure(reader, source, "cannot be opened as a tar archive")
            }
            return try TarArchive.readMembers(reader, archiveSize: raw.count, source: source)
        }
    }

    private static func readMembers(_ reader: OpaquePointer, archiveSize: Int, source: String) throws -> [(path: String, contents: [UInt8])] {
        var members: [(path: String, contents: [UInt8])] = []
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { return members }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw failure(reader, source, "has an unreadable header after \(members.count) members")
            }
            guard archive_entry_filetype(entry) == 0o100000 else { continue }  // directories, links: not needed
            let path = (archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)).map { String(cString: $0) } ?? ""
            let size = archive_entry_size(entry)
            guard size >= 0, size <= archiveSize else {
                throw DataError.corruptFile(source, "tar member \(path) claims \(size) bytes but the archive holds only \(archiveSize)")
            }
            members.append((path, try readMember(reader, count: Int(size)) { filled in
                failure(reader, source, "ends inside member \(path) (\(filled) of \(size) bytes)")
            }))
        }
    }

    /// The current member's `count` bytes from libarchive's `reader`; `shortRead(filled)` is thrown when
    /// the archive ends first (shared by the tar and aclImdb readers).
    static func readMember(_ reader: OpaquePointer, count: Int, shortRead: (_ filled: Int) -> Error) throws -> [UInt8] {
        var contents = [UInt8](repeating: 0, count: count)
        var filled = 0
        try contents.withUnsafeMutableBytes { buffer in
            while filled < count {
                let read = archive_read_data(reader, buffer.baseAddress! + filled, count - filled)
                guard read > 0 else { throw shortRead(filled) }
                filled += read
            }
        }
        return contents
    }

    private static func failure(_ archive: OpaquePointer, _ source: String, _ what: String) -> DataError {
        let detail = archive_error_string(archive).map { String(cString: $0) } ?? "no details"
        return DataError.corruptFile(source, "tar archive \(what) (libarchive: \(detail))")
    }

    /// The contents of the first file whose path ends with `suffix`.
    public func file(endingWith suffix: String) -> [UInt8]? {
        files.first { $0.path.hasSuffix(suffix) }?.contents
    }

    /// Writes a ustar (pax where a path needs it) archive holding `files` (used by tests and fixture scripts).
    public static func archive(_ files: [(path: String, contents: [UInt8])]) throws -> [UInt8] {
        guard let writer = archive_write_new() else { throw DataError("libarchive could not start a writer") }
        defer { archive_write_free(writer) }
        archive_write_set_format_pax_restricted(writer)
        // Each member: a header (two with a pax path record) and its data rounded up to 512 bytes; then blocks of padding.
        let capacity = files.reduce(3 * 10_240) { $0 + 3 * 512 + ($1.contents.count + 511) / 512 * 512 }
        var output = [UInt8](repeating: 0, count: capacity)
        let used = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        defer { used.deallocate() }
        used.pointee = 0
        try output.withUnsafeMutableBytes { buffer in
            guard archive_write_open_memory(writer, buffer.baseAddress, buffer.count, used) == ARCHIVE_OK else {
                throw failure(writer, "tar", "cannot be written to memory")
            }
            for (path, contents) in files { try write(path: path, contents: contents, to: writer) }
            guard archive_write_close(writer) == ARCHIVE_OK else { throw failure(writer, "tar", "cannot be closed") }
        }
        return Array(output.prefix(used.pointee))
    }

    private static func write(path: String, contents: [UInt8], to writer: OpaquePointer) throws {
        guard let entry = archive_entry_new() else { throw DataError("libarchive could not make an entry for \(path)") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_size(entry, Int64(contents.count))
        archive_entry_set_filetype(entry, 0o100000)
        archive_entry_set_perm(entry, 0o644)
        guard archive_write_header(writer, entry) == ARCHIVE_OK else { throw failure(writer, "tar", "header for \(path) cannot be written") }
        let written = contents.withUnsafeBytes { archive_write_data(writer, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw failure(writer, "tar", "data of \(path) cannot be written") }
    }
}
