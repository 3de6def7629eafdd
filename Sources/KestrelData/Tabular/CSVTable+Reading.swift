extension CSVTable {
    /// Reads a CSV file, or a gzip-compressed one (detected by its magic number, as `HIGGS.csv.gz`),
    /// streaming it in bounded chunks — pandas' `read_csv` with the arguments the Keras tutorials use:
    ///
    /// ```swift
    /// // raw_dataset = pd.read_csv(url, names=column_names, na_values='?', comment='\t', sep=' ', skipinitialspace=True)
    /// let raw = try CSVTable.read("auto-mpg.data", columnNames: columnNames, naValues: ["?"], comment: "\t", separator: .whitespace)
    /// ```
    ///
    /// - Parameters:
    ///   - path: the file (`.csv`, `.data`, `.csv.gz`…).
    ///   - columnNames: the names of the columns (pandas' `names`); nil takes them from the header row,
    ///     or numbers them "0", "1", … when there is none.
    ///   - header: whether the first record is a header row; nil means yes unless `columnNames` are given
    ///     (pandas' `header='infer'`). With both, the header row is skipped and `columnNames` used.
    ///   - useColumns: only these columns are kept (pandas' `usecols`), in the file's order.
    ///   - naValues: texts read as missing, besides pandas' defaults (`defaultNAValues`) when `keepDefaultNA`.
    ///   - comment: a character that ends the useful part of a line (pandas' `comment`).
    ///   - separator: `.comma` (default), `.tab`, any `.character(_:)`, or `.whitespace`.
    ///   - maxRows: read at most this many data rows (pandas' `nrows`): the rest of the file is never read.
    ///   - maxLineLength: the longest record accepted, in bytes (a guard against files that are not CSV).
    public static func read(_ path: String, columnNames: [String]? = nil, header: Bool? = nil, useColumns: [String]? = nil,
                            naValues: Set<String> = [], keepDefaultNA: Bool = true, comment: Character? = nil,
                            separator: CSVSeparator = .comma, maxRows: Int? = nil, maxLineLength: Int = 1 << 20) throws -> CSVTable {
        if let maxRows, maxRows < 0 { throw DataError.invalidArgument("maxRows", "must be ≥ 0, got \(maxRows)") }
        guard maxLineLength > 0 else { throw DataError.invalidArgument("maxLineLength", "must be > 0, got \(maxLineLength)") }
        var commentByte: UInt8?
        if let comment {
            guard let ascii = comment.asciiValue, comment != "\"" else {
                throw DataError.invalidArgument("comment", "must be one ASCII character other than \", got '\(comment)'")
            }
            commentByte = ascii
        }
        let reader = try StreamingFileReader(path: path)
        var parser = CSVRecordParser(path: path, separator: separator, comment: commentByte, maxRecordBytes: maxLineLength)
        var builder = Builder(path: path, names: columnNames, header: header ?? (columnNames == nil), useColumns: useColumns,
                              missing: naValues.union(keepDefaultNA ? defaultNAValues : []), maxRows: maxRows)
        let emit: (CSVRecordParser.Record) throws -> Bool = { try builder.add($0) }
        var going = maxRows != 0
        while going, let chunk = try reader.nextChunk() {
            going = try parser.feed(chunk, emit: emit)
        }
        if going { try parser.finish(emit: emit) }
        return try builder.table()
    }

    /// Gathers parsed records into columns: names from the header or the argument, a record of the wrong
    /// width refused naming its line, missing texts turned into nil, only the wanted columns kept.
    private struct Builder {
        let path: String
        var names: [String]?
        var expectHeader: Bool
        let useColumns: [String]?
        let missing: Set<String>
        let maxRows: Int?
        var ready = false
        var kept: [Int] = []
        var columns: [[String?]] = []
        var lines: [Int] = []

        init(path: String, names: [String]?, header: Bool, useColumns: [String]?, missing: Set<String>, maxRows: Int?) {
            self.path = path
            self.names = names
            self.expectHeader = header
            self.useColumns = useColumns
            self.missing = missing
            self.maxRows = maxRows
        }

        mutating func add(_ record: CSVRecordParser.Record) throws -> Bool {
            if expectHeader {
                expectHeader = false
                if names == nil { names = record.fields }
                try setUpColumns(width: record.fields.count, line: record.line)
                return true
            }
            if names == nil {
                names = (0..<record.fields.count).map(String.init)
            }
            if !ready { try setUpColumns(width: record.fields.count, line: record.line) }
            let width = names!.count
            guard record.fields.count == width else {
                throw DataError("\(path): line \(record.line) has \(record.fields.count) fields but the table has \(width) columns (\(names!.prefix(12).joined(separator: ", "))); check the separator (.comma, .tab, .whitespace), the quoting and the comment character")
            }
            for (position, column) in kept.enumerated() {
                let text = record.fields[column]
                columns[position].append(missing.contains(text) ? nil : text)
            }
            lines.append(record.line)
            if let maxRows, lines.count >= maxRows { return false }
            return true
        }

        private mutating func setUpColumns(width: Int, line: Int) throws {
            guard let names else { return }
            ready = true
            guard names.count == width else {
                throw DataError("\(path): line \(line) has \(width) fields but \(names.count) column names were given (\(names.joined(separator: ", "))); give one name per field")
            }
            guard Set(names).count == names.count else {
                throw DataError("\(path): the column names repeat (\(names.joined(separator: ", "))); give each column its own name")
            }
            if let useColumns {
                for wanted in useColumns where !names.contains(wanted) {
                    throw DataError("\(path): useColumns names '\(wanted)', which is not a column; the columns are \(names.joined(separator: ", "))")
                }
                kept = names.indices.filter { useColumns.contains(names[$0]) }
            } else {
                kept = Array(names.indices)
            }
            columns = Array(repeating: [], count: kept.count)
        }

        mutating func table() throws -> CSVTable {
            guard let names else {
                throw DataError("\(path): the file is empty (no header and no rows); check the download")
            }
            if !ready { try setUpColumns(width: names.count, line: 1) }
            return try CSVTable(columnNames: kept.map { names[$0] }, columns: columns, lineNumbers: lines, source: path)
        }
    }
}
