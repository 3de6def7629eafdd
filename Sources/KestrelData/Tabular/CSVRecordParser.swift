/// Splits bytes into CSV records, one byte at a time across chunk boundaries: quoted fields (with `""`
/// for a quote, separators and line breaks inside), a comment byte that ends the useful part of a line,
/// blank lines skipped, lines ended by `\n`, `\r\n` or a lone `\r` (old Mac files). A record longer than `maxRecordBytes` or a NUL byte (a binary
/// file) stops it with an error naming the file and line.
struct CSVRecordParser {
    /// One parsed record: its fields (text) and the line it started on (1-based).
    struct Record {
        var fields: [String]
        var line: Int
    }

    let path: String
    let separator: CSVSeparator
    let comment: UInt8?
    let maxRecordBytes: Int

    private var fields: [String] = []
    private var field: [UInt8] = []
    private var fieldStarted = false
    private var inQuotes = false
    private var quotePending = false   // a quote seen inside quotes: the end of the field or the first of `""`
    private var inComment = false
    private var recordBytes = 0
    private var line = 1
    private var recordLine = 1
    /// The previous byte was a `\r` that ended a line (or a line inside quotes): a `\n` right after it
    /// belongs to the same line end.
    private var afterCarriageReturn = false
    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    init(path: String, separator: CSVSeparator, comment: UInt8?, maxRecordBytes: Int) {
        self.path = path
        self.separator = separator
        self.comment = comment
        self.maxRecordBytes = maxRecordBytes
    }

    /// Parses `bytes`, handing each complete record to `emit` (which returns false to stop early).
    /// Returns false when `emit` asked to stop.
    mutating func feed(_ bytes: [UInt8], emit: (Record) throws -> Bool) throws -> Bool {
        for byte in bytes {
            if byte == 0 {
                throw DataError("\(path): line \(line) holds a NUL byte, so this is a binary file, not CSV text; pass the CSV file (or its .gz)")
            }
            let endsCarriageReturnLine = afterCarriageReturn && byte == Self.newline
            afterCarriageReturn = false
            if endsCarriageReturnLine && !inQuotes { continue }
            recordBytes += 1
            if recordBytes > maxRecordBytes {
                throw DataError("\(path): the record starting on line \(recordLine) is longer than \(maxRecordBytes) bytes (an unclosed quote, or not a CSV file); fix the file or raise maxLineLength")
            }
            if quotePending {
                quotePending = false
                if byte == Self.quote { field.append(byte); continue }
                inQuotes = false
            }
            if inQuotes {
                if byte == Self.quote { quotePending = true; continue }
                if byte == Self.carriageReturn || (byte == Self.newline && !endsCarriageReturnLine) { line += 1 }
                afterCarriageReturn = byte == Self.carriageReturn
                field.append(byte)
                continue
            }
            if byte == Self.newline || byte == Self.carriageReturn {
                line += 1
                inComment = false
                afterCarriageReturn = byte == Self.carriageReturn
                if try !endRecord(emit: emit) { return false }
                continue
            }
            if inComment { continue }
            if let comment, byte == comment { inComment = true; continue }
            try consumeUnquoted(byte)
        }
        return true
    }

    /// Ends the last record when the file does not end with a line break; throws on an unclosed quote.
    mutating func finish(emit: (Record) throws -> Bool) throws {
        if quotePending { quotePending = false; inQuotes = false }
        if inQuotes { throw DataError("\(path): a quoted field opened on line \(recordLine) is never closed; add the closing \" or remove the stray one") }
        _ = try endRecord(emit: emit)
    }

    private mutating func consumeUnquoted(_ byte: UInt8) throws {
        switch separator {
        case .character(let separatorByte):
            if byte == separatorByte { try endField(); return }
        case .whitespace:
            if byte == Self.space || byte == Self.tab {
                if fieldStarted { try endField() }
                return
            }
        }
        if byte == Self.quote && !fieldStarted {
            inQuotes = true
            fieldStarted = true
            return
        }
        fieldStarted = true
        field.append(byte)
    }

    private mutating func endField() throws {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw DataError("\(path): line \(recordLine) is not UTF-8 text (field \(fields.count + 1)); this is a binary file or another encoding, convert it to UTF-8")
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
    }

    private mutating func endRecord(emit: (Record) throws -> Bool) throws -> Bool {
        defer {
            fields.removeAll(keepingCapacity: true)
            recordBytes = 0
            recordLine = line
        }
        let blank: Bool
        switch separator {
        case .character: blank = fields.isEmpty && !fieldStarted && field.isEmpty
        case .whitespace: blank = fields.isEmpty && !fieldStarted
        }
        if blank { return true }
        if case .character = separator { try endField() } else if fieldStarted { try endField() }
        return try emit(Record(fields: fields, line: recordLine))
    }
}
