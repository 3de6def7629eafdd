import Foundation
import ZIPFoundation

/// The zip container of a `.keras` file, read and written in memory through ZIPFoundation.
///
/// Members are only ever extracted to memory, never to disk; a member whose path climbs out of the
/// archive (`..`, an absolute path) makes the whole file refused.
///
/// Limits on what a member may inflate to (a zip bomb must not take the process's memory): at most
/// `jsonMemberLimit` bytes for `config.json`, `metadataMemberLimit` for `metadata.json`, at most `weightsMemberLimit` for
/// `model.weights.h5`, and a compressed member at most `compressionRatioLimit` times its stored size
/// (Keras 3 stores members uncompressed, ratio 1; float weights deflate by less than 2:1). Each is
/// checked against the central directory before inflating and enforced again while inflating, so a
/// member whose header understates its size is stopped at the declared size.
enum KerasArchive {
    /// The most bytes `config.json` may hold (64 MiB; Keras's configs are kilobytes).
    static let jsonMemberLimit: UInt64 = 64 << 20
    /// The most bytes `metadata.json` may hold (4 MiB: the version, the date and up to
    /// `KerasSaving.classNameLimit` class names; a million names took 24 s and 334 MB to parse).
    static let metadataMemberLimit: UInt64 = 4 << 20
    /// The most bytes `model.weights.h5` may hold (16 GiB).
    static let weightsMemberLimit: UInt64 = 16 << 30
    /// The most a compressed member may expand: 100 times its compressed size (members under
    /// `smallMemberSize` are exempt, so tiny deflated JSON files still load).
    static let compressionRatioLimit: UInt64 = 100
    /// Members up to this size (1 MiB) are not held to `compressionRatioLimit`.
    static let smallMemberSize: UInt64 = 1 << 20

    /// The size limit for the member `path`.
    static func sizeLimit(of path: String) -> UInt64 {
        path == "metadata.json" ? metadataMemberLimit : path.hasSuffix(".json") ? jsonMemberLimit : weightsMemberLimit
    }

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
        let stored = UInt64(entry.compressedSize)
        let limit = sizeLimit(of: entry.path)
        guard stored <= UInt64(archiveSize) else {
            throw KestrelError.fileError(
                "'\(fileName)': the zip member '\(entry.path)' claims \(stored) stored bytes in a \(archiveSize)-byte archive; the file is damaged.")
        }
        guard declared <= limit else {
            throw KestrelError.fileError(
                "'\(fileName)': the zip member '\(entry.path)' declares \(declared) bytes, more than the \(limit) bytes Kestrel allows for it; the file is refused.")
        }
        let (ratioBound, overflow) = max(stored, 1).multipliedReportingOverflow(by: compressionRatioLimit)
        guard declared <= smallMemberSize || overflow || declared <= ratioBound else {
            throw KestrelError.fileError(
                "'\(fileName)': the zip member '\(entry.path)' would inflate \(stored) bytes to \(declared) (more than \(compressionRatioLimit):1, a zip bomb rather than a model); the file is refused. Keras 3 stores members uncompressed.")
        }
        var output = Data()
        output.reserveCapacity(Int(declared))
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
