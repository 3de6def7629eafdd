import KestrelTensor
import Foundation

/// The IDX format of MNIST and Fashion-MNIST (gzip-compressed or raw): unsigned-byte arrays of any rank.
public struct IDXFile: Sendable, Equatable {
    /// The dimensions stored in the header, outermost first.
    public var shape: [Int]
    /// The elements, row-major.
    public var bytes: [UInt8]

    /// An IDX array of `shape` holding `bytes` row-major.
    public init(shape: [Int], bytes: [UInt8]) {
        self.shape = shape
        self.bytes = bytes
    }

    /// Reads an IDX file, gunzipping it first when it is gzip-compressed.
    public init(contentsOf path: String) throws {
        let raw = try FileIO.readBytes(path)
        try self.init(bytes: Gzip.isGzip(raw) ? Gzip.decompress(raw, source: path) : raw, source: path)
    }

    /// Parses uncompressed IDX bytes.
    /// - Parameter source: the file name used in error messages.
    public init(bytes data: [UInt8], source: String) throws {
        guard data.count >= 4 else { throw DataError.corruptFile(source, "IDX file is only \(data.count) bytes long") }
        guard data[0] == 0, data[1] == 0 else {
            throw DataError("\(source): wrong magic number \(data.prefix(4).map { String($0, radix: 16) }) — not an IDX file (expected 00 00 08 <rank>)")
        }
        guard data[2] == 0x08 else {
            throw DataError("\(source): IDX element type 0x\(String(data[2], radix: 16)) is not supported; only unsigned bytes (0x08) are")
        }
        let rank = Int(data[3])
        guard rank >= 1, data.count >= 4 + 4 * rank else {
            throw DataError.corruptFile(source, "IDX header of rank \(rank) is incomplete")
        }
        var dimensions: [Int] = []
        for axis in 0..<rank {
            let base = 4 + axis * 4
            dimensions.append(Int(data[base]) << 24 | Int(data[base + 1]) << 16 | Int(data[base + 2]) << 8 | Int(data[base + 3]))
        }
        let headerSize = 4 + 4 * rank
        guard let count = Tensor.checkedElementCount(dimensions) else {
            throw DataError.corruptFile(source, "IDX header announces dimensions \(dimensions), more elements than can be counted")
        }
        guard data.count - headerSize == count else {
            throw DataError.corruptFile(source, "IDX header announces \(dimensions) = \(count) bytes but \(data.count - headerSize) follow")
        }
        self.shape = dimensions
        self.bytes = Array(data[headerSize...])
    }

    /// The file's uncompressed IDX encoding.
    public func encoded() -> [UInt8] {
        var output: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
        for dimension in shape {
            output += [UInt8(truncatingIfNeeded: dimension >> 24), UInt8(truncatingIfNeeded: dimension >> 16),
                       UInt8(truncatingIfNeeded: dimension >> 8), UInt8(truncatingIfNeeded: dimension)]
        }
        return output + bytes
    }
}
