import CSystemZlib
import Foundation

/// Reads a file in bounded chunks, inflating it on the fly when it starts with the gzip magic number
/// (so an 8 GB `HIGGS.csv.gz` can be read row by row without being decompressed whole). Memory stays at
/// one input chunk and one output chunk whatever the file's size.
final class StreamingFileReader {
    /// The path used in error messages.
    let path: String
    /// Whether the file is gzip-compressed.
    let isGzip: Bool
    private let handle: FileHandle
    private var stream = z_stream()
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var endOfFile = false
    private var streamEnded = false
    private var inflateReady = false
    /// Bytes inflated so far, and the most the file may inflate to (`Gzip.maximumRatio` times its size): a
    /// 97 KB `.csv.gz` of one-character rows inflated to 100 MB and a 1.4 GB table.
    private var inflatedBytes = 0
    private var inflateLimit = Int.max
    private static let chunkSize = 1 << 16

    /// Opens `path`; throws naming it when it is missing, a folder or unreadable.
    init(path: String) throws {
        self.path = path
        let size: Int
        switch InputFile.kind(of: path) {
        case .regular(let bytes): size = bytes
        case .missing: throw DataError("\(path): no such file; check the path (download the data set first)")
        case .directory: throw DataError("\(path): is a folder, not a CSV file; pass the file inside it")
        default: size = try InputFile.checkRegular(path, expected: "a CSV file (or its .gz)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError("\(path): cannot be opened for reading; check its permissions")
        }
        self.handle = handle
        let head = try Self.read(handle, count: Self.chunkSize, path: path)
        input = head
        endOfFile = head.isEmpty
        isGzip = Gzip.isGzip(head)
        if isGzip {
            inflateLimit = Gzip.outputLimit(compressedCount: size)
            guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw DataError("\(path): zlib could not be initialised")
            }
            inflateReady = true
        }
    }

    deinit {
        if inflateReady { inflateEnd(&stream) }
        try? handle.close()
    }

    private static func read(_ handle: FileHandle, count: Int, path: String) throws -> [UInt8] {
        do {
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw DataError("\(path): cannot be read (\(error.localizedDescription))")
        }
    }

    /// The next chunk of (decompressed) bytes, or nil at the end of the file.
    func nextChunk() throws -> [UInt8]? {
        guard isGzip else {
            if inputOffset < input.count {
                defer { inputOffset = input.count }
                return Array(input[inputOffset...])
            }
            guard !endOfFile else { return nil }
            input = try Self.read(handle, count: Self.chunkSize, path: path)
            inputOffset = 0
            if input.isEmpty { endOfFile = true; return nil }
            inputOffset = input.count
            return input
        }
        return try inflateChunk()
    }

    private func refillInput() throws {
        guard inputOffset >= input.count, !endOfFile else { return }
        input = try Self.read(handle, count: Self.chunkSize, path: path)
        inputOffset = 0
        if input.isEmpty { endOfFile = true }
    }

    private func inflateChunk() throws -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            if streamEnded {
                // Another gzip member may follow (`cat a.gz b.gz`); anything else after the end is ignored, as gzip does.
                try refillInput()
                guard inputOffset < input.count, input[inputOffset] == 0x1f else { return nil }
                inflateReset(&stream)
                streamEnded = false
            }
            try refillInput()
            if inputOffset >= input.count && endOfFile {
                throw DataError.corruptFile(path, "gzip stream ends early (truncated)")
            }
            var produced = 0
            let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = inBuffer.baseAddress! + inputOffset
                    stream.avail_in = UInt32(inBuffer.count - inputOffset)
                    stream.next_out = outBuffer.baseAddress!
                    stream.avail_out = UInt32(outBuffer.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    inputOffset = inBuffer.count - Int(stream.avail_in)
                    produced = outBuffer.count - Int(stream.avail_out)
                    return result
                }
            }
            switch status {
            case Z_STREAM_END: streamEnded = true
            case Z_OK, Z_BUF_ERROR: break
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DataError.corruptFile(path, "gzip data is invalid (\(detail))")
            }
            if produced > 0 {
                inflatedBytes += produced
                guard inflatedBytes <= inflateLimit else {
                    throw DataError.corruptFile(path, "gzip data expands to more than \(inflateLimit) bytes, \(Gzip.maximumRatio) times the file (a decompression bomb, not a table)")
                }
                return Array(output[..<produced])
            }
        }
    }
}
