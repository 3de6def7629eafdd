import CSystemZlib

/// gzip (RFC 1952) compression and decompression through zlib, with truncation and CRC errors reported by file name.
public enum Gzip {
    /// True when `bytes` starts with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The most a gzip stream above 1 MiB may expand: datasets compress 2–10:1 (MNIST's IDX files about 6:1),
    /// while a decompression bomb of zeros reaches 1000:1 — the same rule as a `.keras` file's members.
    public static let maximumRatio = 100

    /// The most bytes `compressedCount` compressed bytes may decompress to: `maximumRatio` times as many,
    /// and at least 1 MiB.
    static func outputLimit(compressedCount: Int) -> Int {
        let (limit, overflow) = compressedCount.multipliedReportingOverflow(by: maximumRatio)
        return overflow ? Int.max : Swift.max(limit, 1 << 20)
    }

    /// Decompresses a whole gzip stream (several concatenated members are accepted).
    /// - Parameter source: the file name used in error messages.
    /// - Throws: `DataError` when the stream is damaged, truncated, or would expand past `maximumRatio`
    ///   times its size (checked while inflating, so a bomb never takes the memory it asks for).
    public static func decompress(_ bytes: [UInt8], source: String) throws -> [UInt8] {
        guard isGzip(bytes) else { throw DataError.corruptFile(source, "not a gzip stream (missing magic number 1f 8b)") }
        var stream = z_stream()
        // 15 + 16: window of 32 KiB, gzip wrapper only (zlib then checks the CRC-32 and length trailer).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError("\(source): zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        // The trailer's ISIZE (uncompressed size mod 2^32) is a good first guess, within the limit (the trailer
        // may lie); the buffer still grows if it is wrong, up to the limit.
        let limit = outputLimit(compressedCount: bytes.count)
        let trailerSize = bytes.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        let guess = trailerSize > 0 && trailerSize < limit ? trailerSize + 1 : bytes.count * 4
        var output = [UInt8](repeating: 0, count: min(max(guess, 1 << 16), limit))
        var produced = 0
        var consumed = 0
        var finished = false
        try bytes.withUnsafeBufferPointer { input in
            while true {
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                stream.avail_in = UInt32(min(input.count - consumed, Int(UInt32.max)))
                if produced == output.count {
                    guard output.count < limit else {
                        throw DataError.corruptFile(source, "gzip data expands to more than \(limit) bytes, \(maximumRatio) times its \(bytes.count) (a decompression bomb, not a dataset)")
                    }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, limit - output.count)))
                }
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(min(out.count - produced, Int(UInt32.max)))
                    let before = stream.avail_out
                    let beforeIn = stream.avail_in
                    let result = inflate(&stream, Z_NO_FLUSH)
                    produced += Int(before - stream.avail_out)
                    consumed += Int(beforeIn - stream.avail_in)
                    return result
                }
                if status == Z_STREAM_END {
                    // Another gzip member may follow (as `cat a.gz b.gz` produces).
                    if consumed + 2 <= input.count, input[consumed] == 0x1f, input[consumed + 1] == 0x8b {
                        inflateReset(&stream)
                        continue
                    }
                    finished = true
                    break
                }
                if status == Z_OK { continue }
                if status == Z_BUF_ERROR {
                    if consumed >= input.count { break } // input exhausted before the end of the stream
                    continue
                }
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DataError.corruptFile(source, "gzip data is invalid (\(detail))")
            }
        }
        guard finished else { throw DataError.corruptFile(source, "gzip stream ends early (truncated after \(bytes.count) bytes)") }
        output.removeSubrange(produced...)
        return output
    }

    /// Compresses `bytes` into a single gzip member (level 6).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(bytes.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        var input = bytes.isEmpty ? [0] : bytes
        let written: Int = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inputBuffer.baseAddress!
                stream.avail_in = UInt32(bytes.count)
                stream.next_out = out.baseAddress!
                stream.avail_out = UInt32(out.count)
                _ = deflate(&stream, Z_FINISH)
                return out.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }
}
