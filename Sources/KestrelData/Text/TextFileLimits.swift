import Foundation

/// Reading one text file (a review, a `.txt` sample) for the text loaders: bounded in size, refused
/// with a message naming the file when it is not text (a NUL byte, or bytes that are not UTF-8).
public enum TextFileLimits {
    /// The largest text file read whole (64 MiB); larger ones need `maxLength`, which reads only their start.
    public static let largestFileBytes = 64 << 20

    /// The file's text: at most `maxLength` bytes when given (Keras's `max_length`, cut back to a whole
    /// UTF-8 character), else the whole file if it is at most `largestFileBytes`. An empty file is "".
    public static func read(_ path: String, maxLength: Int? = nil) throws -> String {
        try read(path, maxLength: maxLength, largest: largestFileBytes)
    }

    /// `read` with another size limit (tests use a small one).
    static func read(_ path: String, maxLength: Int?, largest largestFileBytes: Int) throws -> String {
        // A FIFO would block the open for ever (a device like /dev/zero is cut at the limit, but is no text either).
        if InputFile.kind(of: path) != .missing { try InputFile.checkRegular(path, expected: "a text file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError("\(path): cannot be opened for reading; check that it exists and is readable")
        }
        defer { try? handle.close() }
        let limit = maxLength ?? largestFileBytes
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw DataError("\(path): cannot be read (\(error.localizedDescription)); check the file")
        }
        var bytes = [UInt8](data)
        if bytes.count > limit {
            guard maxLength != nil else {
                throw DataError("\(path): is larger than \(largestFileBytes) bytes, too large for one text sample; pass maxLength to read only its first bytes, or remove the file")
            }
            bytes.removeLast(bytes.count - limit)
            trimPartialCharacter(&bytes)
        }
        return try decode(bytes, source: path)
    }

    /// `bytes` as a String; throws naming `source` when they hold a NUL byte or are not UTF-8.
    public static func decode(_ bytes: [UInt8], source: String) throws -> String {
        if let zero = bytes.firstIndex(of: 0) {
            throw DataError("\(source): holds a NUL byte at offset \(zero), so it is a binary file, not text; remove it from the folder (only UTF-8 text files are read)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataError("\(source): is not valid UTF-8 text; convert it to UTF-8 (iconv -t UTF-8) or remove it")
        }
        return text
    }

    /// Drops the bytes of a UTF-8 character cut at the end (its lead byte and the continuation bytes present).
    static func trimPartialCharacter(_ bytes: inout [UInt8]) {
        var leadIndex = bytes.count - 1
        while leadIndex >= 0, bytes.count - leadIndex <= 4, bytes[leadIndex] & 0xC0 == 0x80 { leadIndex -= 1 }
        guard leadIndex >= 0, bytes[leadIndex] >= 0xC0 else { return }
        let lead = bytes[leadIndex]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        if bytes.count - leadIndex < length { bytes.removeSubrange(leadIndex...) }
    }
}
