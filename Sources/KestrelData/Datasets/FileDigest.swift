import Foundation

/// SHA-256 of files on disk, read in chunks.
enum FileDigest {
    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError("\(path): cannot be opened for reading") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            hasher.update(chunk)
        }
        return SHA256.hexString(hasher.finalize())
    }
}
