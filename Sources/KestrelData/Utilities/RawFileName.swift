import Foundation

/// File names as the kernel stores them: bytes, not necessarily UTF-8. Foundation's directory listings
/// decode a non-UTF-8 name lossily (U+FFFD), so the file cannot be opened again ("no such file"). Here
/// each byte that is not part of valid UTF-8 becomes the private-use character U+F700 + byte, so the
/// path `String` round-trips to the exact bytes, and `FileIO.readBytes` opens it by those bytes.
enum RawFileName {
    private static let escapeBase: UInt32 = 0xF700

    /// `bytes` as a String, invalid UTF-8 bytes escaped.
    static func decode(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            var decoded = false
            for length in 1...4 where index + length <= bytes.count {
                if let piece = String(validating: bytes[index..<index + length], as: UTF8.self), piece.unicodeScalars.count == 1 {
                    scalars.append(contentsOf: piece.unicodeScalars)
                    index += length
                    decoded = true
                    break
                }
            }
            if !decoded {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[index]))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// Whether `path` holds escaped bytes.
    static func isEscaped(_ path: String) -> Bool {
        path.unicodeScalars.contains { $0.value >= escapeBase && $0.value <= escapeBase + 0xFF }
    }

    /// The bytes `path` stands for (escapes turned back into their bytes), NUL-terminated.
    static func encode(_ path: String) -> [CChar] {
        var bytes: [UInt8] = []
        for scalar in path.unicodeScalars {
            if scalar.value >= escapeBase, scalar.value <= escapeBase + 0xFF {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return bytes.map { CChar(bitPattern: $0) } + [0]
    }

    /// `name` for a message: each escaped byte written as `\xFF` (Python's repr of a surrogate-escaped
    /// name shows `\udcff` for the same byte).
    static func display(_ name: String) -> String {
        var text = ""
        for scalar in name.unicodeScalars {
            if scalar.value >= escapeBase, scalar.value <= escapeBase + 0xFF {
                text += "\\x" + String(format: "%02X", scalar.value - escapeBase)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    /// The names of the sub-folders of `folder`, decoded with `decode`, hidden ones (starting with ".")
    /// left out; a symbolic link to a folder counts, as Keras's `os.path.isdir` follows it.
    static func subfolders(of folder: String) -> [String] {
        guard let directory = opendir(encode(folder)) else { return [] }
        defer { closedir(directory) }
        var found: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard name.first != 0x2E else { continue }
            let decoded = decode(name)
            var info = stat()
            if stat(encode(folder + "/" + decoded), &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { found.append(decoded) }
        }
        return found
    }

    /// The files under `folder` (recursively, not into symbolic links to folders), as paths relative
    /// to it, names decoded with `decode`; hidden entries are included as Foundation's enumerator does.
    static func files(under folder: String, depth: Int = 0) -> [String] {
        guard depth < 64, let directory = opendir(encode(folder)) else { return [] }
        defer { closedir(directory) }
        var found: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard name != [0x2E], name != [0x2E, 0x2E] else { continue }
            let decoded = decode(name)
            let path = folder + "/" + decoded
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isDirectory = lstat(encode(path), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isDirectory {
                found += files(under: path, depth: depth + 1).map { decoded + "/" + $0 }
            } else {
                found.append(decoded)
            }
        }
        return found
    }

    /// The contents of the file at the escaped `path`, read by its bytes.
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(encode(path), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DataError("\(path): cannot be opened (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw DataError("\(path): cannot be read (\(String(cString: strerror(errno))))") }
            if count == 0 { return bytes }
            bytes += chunk.prefix(count)
        }
    }
}
