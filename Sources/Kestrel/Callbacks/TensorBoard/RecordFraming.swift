/// TensorFlow's record format (`TFRecord`, used by event files): each record is its length as a
/// little-endian UInt64, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
enum RecordFraming {
    /// One record holding `data`.
    static func frame(_ data: [UInt8]) -> [UInt8] {
        let header = littleEndianBytes(UInt64(data.count))
        return header + littleEndianBytes(CRC32C.masked(header)) + data + littleEndianBytes(CRC32C.masked(data))
    }

    /// The records' data in `bytes`, each checked against its length and CRCs; nil for a damaged or cut stream.
    static func records(in bytes: [UInt8]) -> [[UInt8]]? {
        var records: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            // A record is at least 16 bytes (header, its CRC, the data's CRC): 12 to 15 left made the
            // length bound below negative, and converting it to UInt64 trapped.
            guard bytes.count - offset >= 16 else { return nil }
            let header = Array(bytes[offset..<offset + 8])
            guard readUInt32(bytes, at: offset + 8) == CRC32C.masked(header) else { return nil }
            let length = header.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard length <= UInt64(bytes.count - offset - 16) else { return nil }
            let start = offset + 12, end = start + Int(length)
            let data = Array(bytes[start..<end])
            guard readUInt32(bytes, at: end) == CRC32C.masked(data) else { return nil }
            records.append(data)
            offset = end + 4
        }
        return records
    }

    private static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << ($1 * 8) }
    }
}
