/// The few pieces of the protocol-buffer wire format that TensorBoard's Event and Summary messages
/// need (varint, 64-bit, length-delimited fields; https://protobuf.dev/programming-guides/encoding/).
/// A full protobuf library with generated code would cost far more build time than these ~30 lines.
struct ProtobufWriter {
    /// The encoded message so far.
    private(set) var bytes: [UInt8] = []

    /// A varint field (`int64`, `enum`); proto3 leaves zero out.
    mutating func varint(_ field: Int, _ value: Int64) {
        guard value != 0 else { return }
        key(field, wireType: 0)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A `double` field; proto3 leaves zero out.
    mutating func double(_ field: Int, _ value: Double) {
        guard value != 0 else { return }
        key(field, wireType: 1)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// A `bytes` or embedded-message field, written even when empty (proto3 presence for messages).
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field; proto3 leaves the empty string out.
    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        bytes(field, Array(value.utf8))
    }

    /// An embedded message built by `build`.
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    private mutating func key(_ field: Int, wireType: UInt64) { appendVarint(UInt64(field) << 3 | wireType) }

    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}
