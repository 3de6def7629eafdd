/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78), the checksum TensorFlow's record
/// format uses. Debian 12 packages no C library for it (zlib's `crc32` is the other polynomial), so this is
/// the textbook byte-at-a-time table method (RFC 3720 appendix B.4): a checksum, not a file format.
/// Checked against the CRCs TensorFlow wrote into `Tests/Fixtures/tensorboard/`.
enum CRC32C {
    /// The 256 remainders of one byte, computed once.
    private static let table: [UInt32] = (0..<256).map { index in
        var remainder = UInt32(index)
        for _ in 0..<8 { remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0x82F6_3B78 : remainder >> 1 }
        return remainder
    }

    /// The CRC-32C of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// TensorFlow's masked CRC (`crc32c::Mask`): rotated right by 15 bits plus a constant, so a CRC
    /// stored inside checksummed data does not checksum to a fixed value.
    static func masked(_ bytes: [UInt8]) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
