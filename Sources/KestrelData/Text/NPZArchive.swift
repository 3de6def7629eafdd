import CArchive

/// The `.npy` members of a NumPy `.npz` file (a zip), read through libarchive, each bounded by the file's size.
struct NPZArchive {
    /// Member name (without ".npy") → its bytes.
    let members: [String: [UInt8]]

    init(bytes: [UInt8], source: String) throws {
        guard !bytes.isEmpty else { throw DataError("\(source): is empty; download it again") }
        guard let reader = archive_read_new() else { throw DataError("\(source): libarchive could not start a reader") }
        defer { archive_read_free(reader) }
        archive_read_support_format_zip(reader)
        var found: [String: [UInt8]] = [:]
        // The bound holds for all members together: 64 members of 16 times the archive each were 1024 times.
        let limit = 16 * bytes.count + (1 << 20)
        var kept = 0
        try bytes.withUnsafeBytes { raw in
            guard archive_read_open_memory(reader, raw.baseAddress, raw.count) == ARCHIVE_OK else {
                throw DataError.corruptFile(source, "it cannot be opened as a .npz (zip) archive")
            }
            var entry: OpaquePointer?
            while true {
                let status = archive_read_next_header(reader, &entry)
                if status == ARCHIVE_EOF { break }
                guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                    throw DataError.corruptFile(source, "the .npz archive has an unreadable member")
                }
                let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
                guard name.hasSuffix(".npy"), found.count < 64 else { continue }
                // Members are read in chunks up to 16 times the archive's size (the data compresses ~3×).
                var data: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let read = chunk.withUnsafeMutableBytes { archive_read_data(reader, $0.baseAddress, $0.count) }
                    if read == 0 { break }
                    guard read > 0 else { throw DataError.corruptFile(source, "member \(name) cannot be inflated") }
                    data += chunk.prefix(read)
                    guard kept + data.count <= limit else {
                        throw DataError.corruptFile(source, "member \(name) inflates the members to more than 16 times the archive's size")
                    }
                }
                kept += data.count
                found[String(name.dropLast(4))] = data
            }
        }
        members = found
    }
}
