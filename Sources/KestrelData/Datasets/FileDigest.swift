import Crypto
import Foundation

/// SHA-256 (swift-crypto) of files on disk, read in chunks, and of byte arrays, as lower-case hex.
enum FileDigest {
    static func sha256(ofFile path: String) throws -> String {
        try InputFile.checkRegular(path, expected: "a downloaded data file")
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError("\(path): cannot be opened for reading") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hexString(hasher.finalize())
    }

    /// The SHA-256 of `bytes` as 64 lower-case hex digits.
    static func sha256(of bytes: [UInt8]) -> String { hexString(SHA256.hash(data: bytes)) }

    /// A digest as lower-case hex digits.
    static func hexString(_ digest: SHA256.Digest) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
