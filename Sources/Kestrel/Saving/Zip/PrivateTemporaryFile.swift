import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A temporary file only this user can read (mode 0600, made by `mkstemp` in the temporary folder,
/// `TMPDIR` when set), written in chunks and removed by `remove()` or, at the latest, when the object
/// goes away — also when reading the model fails. Holds the inflated weights of a `.keras` file while
/// libhdf5 opens them (libhdf5 keeps its own descriptor, so the name is removed right after opening).
final class PrivateTemporaryFile {
    /// Where the file is (until `remove()`).
    let path: String
    /// The model file whose bytes this holds, for error messages.
    private let fileName: String
    private var descriptor: Int32
    /// The bytes written so far.
    private(set) var size = 0
    private var removed = false

    /// Creates an empty file named `kestrel-<purpose>-XXXXXX` in the temporary folder.
    init(purpose: String, fileName: String) throws {
        self.fileName = fileName
        let folder = FileManager.default.temporaryDirectory.path
        var template = Array("\(folder)/kestrel-\(purpose)-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw KestrelError.fileError(
                "'\(fileName)': cannot create a temporary file in '\(folder)' to read the weights (\(String(cString: strerror(errno)))); set TMPDIR to a writable folder.")
        }
        self.descriptor = descriptor
        self.path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        remove()
    }

    /// Appends `chunk`; a full disk is an error naming the folder and the fix.
    func write(_ chunk: Data) throws {
        try chunk.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else {
                    throw KestrelError.fileError(
                        "'\(fileName)': cannot write the weights to the temporary file '\(path)' (\(String(cString: strerror(errno)))); free space there or set TMPDIR to a folder with room.")
                }
                offset += written
            }
        }
        size += chunk.count
    }

    /// Closes the file for writing (its bytes are then complete).
    func finishWriting() throws {
        let status = close(descriptor)
        descriptor = -1
        guard status == 0 else {
            throw KestrelError.fileError("'\(fileName)': cannot finish the temporary file '\(path)' (\(String(cString: strerror(errno)))).")
        }
    }

    /// Removes the file's name (a descriptor libhdf5 holds keeps the bytes readable until it closes).
    func remove() {
        guard !removed else { return }
        removed = true
        unlink(path)
    }
}
