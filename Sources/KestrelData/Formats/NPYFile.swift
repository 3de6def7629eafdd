import Foundation
import KestrelTensor

/// NumPy's `.npy` format (versions 1.0, 2.0 and 3.0): a magic string, a Python-dict header
/// (`descr`, `fortran_order`, `shape`) and the raw array in C order.
///
/// Reading accepts little-endian float32, float64, int32, int64, uint8 and bool arrays; Fortran
/// order, big-endian data, object arrays and other dtypes are refused with an error that names
/// the file and the fix. Sizes are checked against the file before anything is allocated.
public struct NPYFile: Sendable, Equatable {
    /// The element types Kestrel reads and writes (NumPy's `descr`).
    public enum DType: String, Sendable, CaseIterable {
        case float32 = "<f4", float64 = "<f8", int32 = "<i4", int64 = "<i8", uint8 = "|u1", bool = "|b1"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .float32, .int32: return 4
            case .float64, .int64: return 8
            case .uint8, .bool: return 1
            }
        }

        /// The dtype for a `descr` string, also accepting NumPy's `<u1`/`<b1`/`=f4` spellings of the same types.
        init?(descr: String) {
            let normalized = descr.count == 3 && "<=|".contains(descr.first!) ? String(descr.dropFirst()) : descr
            switch normalized {
            case "f4": self = .float32
            case "f8": self = .float64
            case "i4": self = .int32
            case "i8": self = .int64
            case "u1": self = .uint8
            case "b1": self = .bool
            default: return nil
            }
        }
    }

    /// The array's dimensions (empty for a 0-d array).
    public var shape: [Int]
    /// The element type stored in the file.
    public var dtype: DType
    /// The values converted to Float, in C order.
    public var values: [Float]

    /// An array to write.
    public init(shape: [Int], dtype: DType, values: [Float]) {
        self.shape = shape
        self.dtype = dtype
        self.values = values
    }

    /// The largest header Kestrel reads (NumPy itself refuses headers above 10,000 bytes by default).
    static let maximumHeaderLength = 1 << 16

    /// Reads a `.npy` file.
    public init(contentsOfFile path: String) throws {
        let bytes = try NPYFile.readFile(path)
        try self.init(bytes: bytes, name: path)
    }

    /// Parses the bytes of a `.npy` file; `name` appears in error messages.
    public init(bytes: [UInt8], name: String = "the .npy data") throws {
        func failure(_ reason: String) -> KestrelError { KestrelError.fileError("\(name): \(reason)") }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw failure("not a NumPy .npy file (it does not start with \\x93NUMPY); save arrays with numpy.save")
        }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw failure("the file ends inside its header length; it is truncated") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw failure("format version \(major).\(bytes[7]) is not supported; Kestrel reads versions 1.0, 2.0 and 3.0")
        }
        guard headerLength <= NPYFile.maximumHeaderLength else {
            throw failure("declares a header of \(headerLength) bytes, more than the \(NPYFile.maximumHeaderLength) Kestrel reads; the file is damaged")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw failure("the header (\(headerLength) bytes) runs past the end of the file (\(bytes.count) bytes); it is truncated")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        guard let header = String(bytes: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw failure("the header is not valid \(major == 3 ? "UTF-8" : "Latin-1") text")
        }
        let fields = try NPYHeader.parse(header, name: name)
        guard let dtype = DType(descr: fields.descr) else {
            throw failure(NPYFile.unsupported(fields.descr))
        }
        guard !fields.fortranOrder else {
            throw failure("the array is stored in Fortran order; save it in C order (numpy.save(path, numpy.ascontiguousarray(array)))")
        }
        // Every product of the dimensions is bounded, also beside a zero dimension ((0, 2**62, 2**62) holds no
        // values but its rows could not be counted).
        guard let count = Tensor.checkedElementCount(fields.shape),
              fields.shape.reduce(1, { $0 * Swift.max($1, 1) }) <= Int(Int32.max) else {
            throw failure("the shape \(fields.shape) is too large")
        }
        let dataStart = headerStart + headerLength
        let expected = count * dtype.size
        guard bytes.count - dataStart == expected else {
            throw failure("shape \(fields.shape) of \(fields.descr) needs \(expected) data bytes but the file has \(bytes.count - dataStart); it is truncated or damaged")
        }
        shape = fields.shape
        self.dtype = dtype
        values = try NPYFile.decode(bytes, from: dataStart, count: count, dtype: dtype, name: name)
    }

    /// The bytes of a version 1.0 file (2.0 when the header needs it), as `numpy.save` writes them.
    public func encoded() throws -> [UInt8] {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), count == values.count else {
            throw KestrelError.invalidArgument("saveNpy: shape \(shape) needs \(count) values, got \(values.count).")
        }
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let version: UInt8 = header.utf8.count + 11 < 65_536 ? 1 : 2
        let prefix = version == 1 ? 10 : 12
        let padded = (prefix + header.utf8.count + 1 + 63) / 64 * 64
        header += String(repeating: " ", count: padded - prefix - header.utf8.count - 1) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        let length = header.utf8.count
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
                              : [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
        bytes += Array(header.utf8)
        bytes += try encodeValues()
        return bytes
    }

    /// Writes the file atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    private func encodeValues() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * dtype.size)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        func integer<T: FixedWidthInteger>(_ value: Float, _ type: T.Type) throws -> T {
            guard value.rounded() == value, let exact = T(exactly: value) else {
                throw KestrelError.invalidArgument("saveNpy: the value \(value) is not representable as \(dtype); pick dtype .float32.")
            }
            return exact
        }
        for value in values {
            switch dtype {
            case .float32: append(value.bitPattern)
            case .float64: append(Double(value).bitPattern)
            case .int32: append(try integer(value, Int32.self))
            case .int64: append(try integer(value, Int64.self))
            case .uint8: append(try integer(value, UInt8.self))
            case .bool: out.append(value != 0 ? 1 : 0)
            }
        }
        return out
    }

    private static func decode(_ bytes: [UInt8], from start: Int, count: Int, dtype: DType, name: String) throws -> [Float] {
        try bytes.withUnsafeBytes { raw -> [Float] in
            let base = raw.baseAddress! + start
            func load<T: FixedWidthInteger>(_ index: Int, _ type: T.Type) -> T {
                T(littleEndian: (base + index * MemoryLayout<T>.size).loadUnaligned(as: T.self))
            }
            switch dtype {
            case .float32: return (0..<count).map { Float(bitPattern: load($0, UInt32.self)) }
            case .float64: return (0..<count).map { Float(Double(bitPattern: load($0, UInt64.self))) }
            case .int32: return (0..<count).map { Float(load($0, Int32.self)) }
            case .int64: return (0..<count).map { Float(load($0, Int64.self)) }
            case .uint8: return (0..<count).map { Float(base.load(fromByteOffset: $0, as: UInt8.self)) }
            case .bool:
                return try (0..<count).map {
                    let byte = base.load(fromByteOffset: $0, as: UInt8.self)
                    guard byte <= 1 else { throw KestrelError.fileError("\(name): a bool element holds \(byte), not 0 or 1; the file is damaged") }
                    return Float(byte)
                }
            }
        }
    }

    private static func unsupported(_ descr: String) -> String {
        if descr.hasPrefix(">") {
            return "the array is big-endian ('\(descr)'); convert it with array.astype(array.dtype.newbyteorder('<')) before saving"
        }
        if descr.contains("O") {
            return "it holds Python objects (dtype '\(descr)'), which Kestrel never unpickles; save a numeric array"
        }
        return "dtype '\(descr)' is not supported; Kestrel reads float32, float64, int32, int64, uint8 and bool (convert with array.astype('float32'))"
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return [UInt8](try InputFile.read(path, expected: "a .npy array file", limit: Int(Int32.max)))
        } catch let error as DataError {
            throw KestrelError.fileError(error.message)
        }
    }
}

/// The Python-literal dict at the start of a `.npy` file.
private struct NPYHeader {
    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    static func parse(_ text: String, name: String) throws -> NPYHeader {
        func failure(_ reason: String) -> KestrelError { KestrelError.fileError("\(name): the header \(reason); the file is damaged") }
        var scanner = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard scanner.first == "{", scanner.last == "}" else { throw failure("is not a Python dict") }
        scanner = scanner.dropFirst().dropLast()
        var header = NPYHeader()
        var seen = Set<String>()
        while true {
            scanner = scanner.drop(while: { $0 == " " || $0 == "," })
            if scanner.isEmpty { break }
            let key = try string(&scanner, failure)
            scanner = scanner.drop(while: { $0 == " " })
            guard scanner.first == ":" else { throw failure("misses ':' after '\(key)'") }
            scanner = scanner.dropFirst().drop(while: { $0 == " " })
            switch key {
            case "descr":
                if scanner.first == "[" { throw failure("describes a structured dtype, which Kestrel does not read") }
                header.descr = try string(&scanner, failure)
            case "fortran_order":
                if scanner.hasPrefix("True") { header.fortranOrder = true; scanner = scanner.dropFirst(4) }
                else if scanner.hasPrefix("False") { header.fortranOrder = false; scanner = scanner.dropFirst(5) }
                else { throw failure("has a fortran_order that is neither True nor False") }
            case "shape":
                header.shape = try tuple(&scanner, failure)
            default:
                throw failure("has an unknown key '\(key)'")
            }
            seen.insert(key)
        }
        guard seen == ["descr", "fortran_order", "shape"] else { throw failure("lacks one of 'descr', 'fortran_order', 'shape'") }
        return header
    }

    private static func string(_ scanner: inout Substring, _ failure: (String) -> KestrelError) throws -> String {
        guard let quote = scanner.first, quote == "'" || quote == "\"" else { throw failure("has a key or value that is not a quoted string") }
        scanner = scanner.dropFirst()
        guard let end = scanner.firstIndex(of: quote) else { throw failure("has an unterminated string") }
        let value = String(scanner[..<end])
        scanner = scanner[scanner.index(after: end)...]
        return value
    }

    private static func tuple(_ scanner: inout Substring, _ failure: (String) -> KestrelError) throws -> [Int] {
        guard scanner.first == "(", let end = scanner.firstIndex(of: ")") else { throw failure("has a shape that is not a tuple") }
        let inside = scanner[scanner.index(after: scanner.startIndex)..<end]
        scanner = scanner[scanner.index(after: end)...]
        let parts = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard parts.count <= 32 else { throw failure("has \(parts.count) dimensions, more than 32") }
        return try parts.map { part in
            guard let value = Int(part.hasSuffix("L") ? String(part.dropLast()) : part), value >= 0 else {
                throw failure("has a shape entry '\(part)' that is not a non-negative integer")
            }
            return value
        }
    }
}
