import Foundation
import ZIPFoundation

/// The zip container of a `.keras` file, read and written through ZIPFoundation.
///
/// Members are extracted to memory, except the weights of a `.keras` file read from disk, which are
/// inflated into a private temporary file (mode 0600, removed as soon as libhdf5 has opened it) so
/// that libhdf5 reads each dataset straight from it; nothing is ever written under a member's own
/// name. A member whose path climbs out of the archive (`..`, an absolute path) makes the whole file refused.
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
        try checkSignature(Data(data.prefix(4)), fileName: fileName)
        let archive: Archive
        do {
            guard hasReadableDirectoryEnd(data) else { throw Archive.ArchiveError.missingEndOfCentralDirectoryRecord }
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw damaged(fileName)
        }
        var members: [String: Data] = [:]
        try forEachWanted(archive, fileName: fileName, archiveSize: UInt64(data.count), wanted: wanted) { entry in
            members[entry.path] = try inflate(entry, from: archive, fileName: fileName)
        }
        return members
    }

    /// The members of the `.keras` file at `path` named in `wanted`, read from the file as a stream (the
    /// archive is never held in memory): JSON members in memory, and `spilled` (the weights) inflated
    /// (when given) into a `PrivateTemporaryFile` instead, which the caller removes once libhdf5 has opened it. The
    /// same caps, path checks and CRC check as `read(_:fileName:wanted:)` apply.
    static func read(fileAt path: String, fileName: String, wanted: Set<String>, spilled: String?)
        throws -> (members: [String: Data], spilledFile: PrivateTemporaryFile?) {
        let fileSize = try checkFileSignature(path, fileName: fileName)
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw damaged(fileName)
        }
        var members: [String: Data] = [:]
        var spilledFile: PrivateTemporaryFile?
        try forEachWanted(archive, fileName: fileName, archiveSize: fileSize, wanted: wanted.union(spilled.map { [$0] } ?? [])) { entry in
            guard entry.path == spilled else {
                members[entry.path] = try inflate(entry, from: archive, fileName: fileName)
                return
            }
            let file = try PrivateTemporaryFile(purpose: "weights", fileName: fileName)
            try inflate(entry, from: archive, fileName: fileName) { chunk in try file.write(chunk) }
            try file.finishWriting()
            spilledFile?.remove()
            spilledFile = file
        }
        return (members, spilledFile)
    }

    private static func damaged(_ fileName: String) -> KestrelError {
        KestrelError.fileError(
            "'\(fileName)' is a damaged zip archive (its directory cannot be read; the file may be truncated). Save the model again.")
    }

    private static func checkSignature(_ head: Data, fileName: String) throws {
        guard head.count >= 4, Array(head.prefix(4)) == [0x50, 0x4B, 0x03, 0x04] else {
            throw KestrelError.fileError(
                "'\(fileName)' is not a .keras file: it is not a zip archive. Save the model with Keras 3's model.save(\"…keras\") or Kestrel's model.save(_:).")
        }
    }

    /// Checks that the file at `path` starts as a zip archive does; returns its size.
    private static func checkFileSignature(_ path: String, fileName: String) throws -> UInt64 {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw KestrelError.fileError("'\(fileName)' cannot be read; check its permissions.")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        try checkSignature(head, fileName: fileName)
        let size = (try? handle.seekToEnd()) ?? 0
        return size
    }

    /// Calls `body` for each file member named in `wanted`, after refusing any member whose path climbs
    /// out of the archive and archives listing more than 100,000 members.
    private static func forEachWanted(_ archive: Archive, fileName: String, archiveSize: UInt64, wanted: Set<String>,
                                      _ body: (Entry) throws -> Void) throws {
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
            try checkDeclaredSize(entry, fileName: fileName, archiveSize: archiveSize)
            try body(entry)
        }
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

    /// Refuses `entry` when its central-directory sizes break the caps (before anything is inflated).
    private static func checkDeclaredSize(_ entry: Entry, fileName: String, archiveSize: UInt64) throws {
        let declared = entry.uncompressedSize
        let stored = UInt64(entry.compressedSize)
        let limit = sizeLimit(of: entry.path)
        guard stored <= archiveSize else {
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
    }

    /// The inflated bytes of `entry` in memory.
    private static func inflate(_ entry: Entry, from archive: Archive, fileName: String) throws -> Data {
        var output = Data()
        output.reserveCapacity(Int(entry.uncompressedSize))
        try inflate(entry, from: archive, fileName: fileName) { chunk in output.append(chunk) }
        return output
    }

    /// Inflates `entry`, handing each chunk to `consume`; stops at the declared size (a member whose
    /// header understates its size is refused mid-inflate) and checks the CRC-32 and the final size.
    private static func inflate(_ entry: Entry, from archive: Archive, fileName: String, into consume: (Data) throws -> Void) throws {
        let declared = entry.uncompressedSize
        var produced: UInt64 = 0
        do {
            let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                produced += UInt64(chunk.count)
                guard produced <= declared else {
                    throw KestrelError.fileError("'\(fileName)': the zip member '\(entry.path)' holds more bytes than it declares; the file is damaged.")
                }
                try consume(chunk)
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
        guard produced == declared else {
            throw KestrelError.fileError("'\(fileName)': the zip member '\(entry.path)' is shorter than it declares; the file is truncated.")
        }
    }
}
