import Foundation
import ZIPFoundation

/// The zip container of a `.keras` file, read and written in memory through ZIPFoundation.
///
/// Members are only ever extracted to memory, never to disk; a member whose path climbs out of the
/// archive (`..`, an absolute path) makes the whole file refused.
enum KerasArchive {
    /// The zip bytes holding `members` in order, stored uncompressed as Keras writes them.
    static func write(_ members: [(name: String, data: Data)], fileName: String) throws -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for member in members {
                let data = member.data
                try archive.addEntry(with: member.name, type: .file, uncompressedSize: Int64(data.count),
                                     compressionMethod: .none) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let bytes = archive.data else { throw KestrelError.fileError("'\(fileName)': the zip archive could not be assembled.") }
            return bytes
        } catch let error as KestrelError {
            throw error
        } catch {
            throw KestrelError.fileError("'\(fileName)': the zip archive could not be written (\(error)).")
        }
    }

    /// The members of the zip `data` named in `wanted` (missing ones are left out). Throws a
    /// `KestrelError.fileError` naming `fileName` for anything that is not a sound zip archive.
    static func read(_ data: Data, fileName: String, wanted: Set<String>) throws -> [String: Data] {
        guard data.count >= 4, Array(data.prefix(4)) == [0x50, 0x4B, 0x03, 0x04] else {
            throw KestrelError.fileError(
                "'\(fileName)' is not a .keras file: it is not a zip archive. Save the model with Keras 3's model.save(\"…keras\") or Kestrel's model.save(_:).")
        }
        let archive: Archive
        do {
            guard hasReadableDirectoryEnd(data) else { throw Archive.ArchiveError.missingEndOfCentralDirectoryRecord }
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw KestrelError.fileError(
                "'\(fileName)' is a damaged zip archive (its directory cannot be read; the file may be truncated). Save the model again.")
        }
        var members: [String: Data] = [:]
        var entryCount = 0
        for entry in archive {
            entryCount += 1
            guard entryCount <= 100_000 else { throw KestrelError.fileError("'\(fileName)': the zip archive lists more than 100000 members.") }
            let path = entry.path
            let components = path.split(separator: "/", omittingEmptySubsequences: false)
            if path.hasPrefix("/") || path.hasPrefix("\\") || components.contains("..") || path.contains("\\..") || path.contains("..\\") {
                throw KestrelError.fileError(
                    "'\(fileName)': the zip member '\(path)' points outside the archive; the file is refused (nothing was written to disk).")
            }
            guard wanted.contains(path), entry.type == .file else { continue }
            members[path] = try extract(entry, from: archive, fileName: fileName, archiveSize: data.count)
        }
        return members
    }

    /// Whether the last end-of-central-directory signature in `data` is followed by a whole record
    /// (22 bytes and its comment) — the test ZIPFoundation 0.9.20 makes when it opens in-memory data.
    /// Checked first because ZIPFoundation's in-memory reader leaks its copy of the data when that
    /// test fails (it throws without closing its memory stream; LeakSanitizer found it in the fuzz test).
    static func hasReadableDirectoryEnd(_ data: Data) -> Bool {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard bytes.count >= 22 else { return false }
            var offset = bytes.count - 22
            while offset >= 0 {
                if bytes[offset] == 0x50, bytes[offset + 1] == 0x4B, bytes[offset + 2] == 0x05, bytes[offset + 3] == 0x06 {
                    let commentLength = Int(bytes[offset + 20]) | Int(bytes[offset + 21]) << 8
                    return offset + 22 + commentLength <= bytes.count
                }
                offset -= 1
            }
            return false
        }
    }

    private static func extract(_ entry: Entry, from archive: Archive, fileName: String, archiveSize: Int) throws -> Data {
        let declared = entry.uncompressedSize
        // Deflate expands at most ~1032:1; a larger declared size cannot be real.
        let limit = UInt64(max(entry.compressedSize, 1)) &* 1032 &+ 1024
        guard declared <= limit, declared <= UInt64(archiveSize) &* 1032 &+ 1024 else {
            throw KestrelError.fileError(
                "'\(fileName)': the zip member '\(entry.path)' declares \(declared) bytes, more than its \(entry.compressedSize) stored bytes can hold; the file is damaged.")
        }
        var output = Data()
        output.reserveCapacity(Int(min(declared, 1 << 28)))
        do {
            let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                guard UInt64(output.count + chunk.count) <= declared else {
                    throw KestrelError.fileError("'\(fileName)': the zip member '\(entry.path)' holds more bytes than it declares; the file is damaged.")
                }
                output.append(chunk)
            }
            guard checksum == entry.checksum else {
                throw KestrelError.fileError(
                    "'\(fileName)': the zip member '\(entry.path)' fails its CRC-32 check (its bytes were changed or damaged); save the model again.")
            }
        } catch let error as KestrelError {
            throw error
        } catch {
            throw KestrelError.fileError(
                "'\(fileName)': the zip member '\(entry.path)' cannot be read (\(error)); the file is truncated or damaged. Save the model again.")
        }
        guard UInt64(output.count) == declared else {
            throw KestrelError.fileError("'\(fileName)': the zip member '\(entry.path)' is shorter than it declares; the file is truncated.")
        }
        return output
    }
}
