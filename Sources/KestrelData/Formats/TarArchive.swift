/// A minimal reader (and writer, for tests and fixtures) of POSIX ustar / GNU tar archives: regular files only.
public struct TarArchive: Sendable {
    /// The archive's regular files, by path inside the archive, in archive order.
    public private(set) var files: [(path: String, contents: [UInt8])] = []

    /// Parses an uncompressed tar archive.
    /// - Parameter source: the file name used in error messages.
    public init(bytes: [UInt8], source: String) throws {
        var offset = 0
        var longName: String?
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<(offset + 512)]
            if header.allSatisfy({ $0 == 0 }) { return } // end-of-archive marker
            guard TarArchive.checksumMatches(Array(header)) else {
                throw DataError.corruptFile(source, "tar header at byte \(offset) has a bad checksum")
            }
            let name = TarArchive.string(header, 0, 100)
            let prefix = TarArchive.string(header, 345, 155)
            let kind = header[offset + 156]
            guard let size = TarArchive.octal(header, 124, 12) else {
                throw DataError.corruptFile(source, "tar header at byte \(offset) has an unreadable size field")
            }
            let dataStart = offset + 512
            guard dataStart + size <= bytes.count else {
                throw DataError.corruptFile(source, "tar member \(name) needs \(size) bytes but the archive ends early")
            }
            let contents = Array(bytes[dataStart..<(dataStart + size)])
            let isUstar = TarArchive.string(header, 257, 5) == "ustar"
            let path = longName ?? (isUstar && !prefix.isEmpty ? prefix + "/" + name : name)
            longName = nil
            switch kind {
            case UInt8(ascii: "L"):
                longName = String(decoding: contents.prefix { $0 != 0 }, as: UTF8.self)
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
                files.append((path, contents))
            default:
                break // directories, links, pax headers: not needed for dataset archives
            }
            offset = dataStart + (size + 511) / 512 * 512
        }
        if offset != bytes.count || bytes.isEmpty {
            throw DataError.corruptFile(source, "tar archive ends in the middle of a header")
        }
    }

    /// The contents of the first file whose path ends with `suffix`.
    public func file(endingWith suffix: String) -> [UInt8]? {
        files.first { $0.path.hasSuffix(suffix) }?.contents
    }

    /// Writes a ustar archive holding `files` (used by tests and fixture scripts).
    public static func archive(_ files: [(path: String, contents: [UInt8])]) -> [UInt8] {
        var output: [UInt8] = []
        for (path, contents) in files {
            var header = [UInt8](repeating: 0, count: 512)
            let nameBytes = Array(path.utf8.prefix(100))
            header.replaceSubrange(0..<nameBytes.count, with: nameBytes)
            write(octal: 0o644, into: &header, at: 100, width: 8)
            write(octal: 0, into: &header, at: 108, width: 8)
            write(octal: 0, into: &header, at: 116, width: 8)
            write(octal: contents.count, into: &header, at: 124, width: 12)
            write(octal: 0, into: &header, at: 136, width: 12)
            header[156] = UInt8(ascii: "0")
            header.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
            header.replaceSubrange(263..<265, with: Array("00".utf8))
            for index in 148..<156 { header[index] = UInt8(ascii: " ") }
            let sum = header.reduce(0) { $0 + Int($1) }
            write(octal: sum, into: &header, at: 148, width: 7)
            header[155] = UInt8(ascii: " ")
            output += header
            output += contents
            output += [UInt8](repeating: 0, count: (512 - contents.count % 512) % 512)
        }
        output += [UInt8](repeating: 0, count: 1024)
        return output
    }

    private static func write(octal value: Int, into header: inout [UInt8], at start: Int, width: Int) {
        let digits = Array(String(value, radix: 8).utf8)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, width - 1 - digits.count)) + digits
        header.replaceSubrange(start..<(start + padded.count), with: padded)
        header[start + padded.count] = 0
    }

    private static func checksumMatches(_ header: [UInt8]) -> Bool {
        guard let stored = octal(header[...], 148, 8) else { return false }
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        return sum == stored
    }

    private static func string(_ header: ArraySlice<UInt8>, _ start: Int, _ length: Int) -> String {
        let base = header.startIndex + start
        let field = header[base..<(base + length)].prefix { $0 != 0 }
        return String(decoding: field, as: UTF8.self)
    }

    private static func octal(_ header: ArraySlice<UInt8>, _ start: Int, _ length: Int) -> Int? {
        let base = header.startIndex + start
        let field = header[base..<(base + length)]
        if let first = field.first, first & 0x80 != 0 { // GNU base-256 size for files over 8 GiB
            return field.dropFirst().reduce(Int(first & 0x7f)) { $0 << 8 | Int($1) }
        }
        let text = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self).trimmingCharactersInSpaces()
        if text.isEmpty { return 0 }
        return Int(text, radix: 8)
    }
}

extension String {
    fileprivate func trimmingCharactersInSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
