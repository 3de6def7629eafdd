import Foundation
import KestrelTensor

/// A table read from a CSV (or CSV.gz) file: named columns of text cells, a missing cell nil — the part
/// of a pandas `DataFrame` the Keras tutorials use (`read_csv`, `dropna`, `get_dummies`, `sample`, `pop`),
/// turned into tensors by `tensor(columns:)`, which names the file, line and column of any cell that is
/// not a number.
public struct CSVTable: Sendable, Equatable {
    /// The column names, in order.
    public internal(set) var columnNames: [String]
    /// The cells, column by column (`columns[c][r]`); nil is a missing value.
    public internal(set) var columns: [[String?]]
    /// The file line each row started on (for error messages).
    public internal(set) var lineNumbers: [Int]
    /// The file the table came from (for error messages).
    public let source: String

    /// pandas' default `na_values`: cells read as missing unless `keepDefaultNA` is false.
    public static let defaultNAValues: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// A table from its columns; every column must have one cell per row.
    public init(columnNames: [String], columns: [[String?]], lineNumbers: [Int]? = nil, source: String = "table") throws {
        guard columnNames.count == columns.count else {
            throw DataError.invalidArgument("columns", "\(columns.count) columns for \(columnNames.count) names")
        }
        guard Set(columnNames).count == columnNames.count else {
            throw DataError.invalidArgument("columnNames", "names repeat (\(columnNames)); give each column its own name")
        }
        let rows = columns.first?.count ?? lineNumbers?.count ?? 0
        guard columns.allSatisfy({ $0.count == rows }) else {
            throw DataError.invalidArgument("columns", "columns have different lengths; give each one cell per row")
        }
        let lines = lineNumbers ?? (0..<rows).map { $0 + 1 }
        guard lines.count == rows else { throw DataError.invalidArgument("lineNumbers", "\(lines.count) line numbers for \(rows) rows") }
        self.columnNames = columnNames
        self.columns = columns
        self.lineNumbers = lines
        self.source = source
    }

    /// The number of rows.
    public var rowCount: Int { lineNumbers.count }

    /// The position of column `name`; throws listing the columns when there is none.
    public func index(of name: String) throws -> Int {
        guard let index = columnNames.firstIndex(of: name) else {
            throw DataError("\(source): no column '\(name)'; the columns are \(columnNames.map { "'\($0)'" }.joined(separator: ", "))")
        }
        return index
    }

    /// The cells of column `name` (nil where missing).
    public func column(_ name: String) throws -> [String?] { columns[try index(of: name)] }

    /// Column `name` as numbers; throws naming the file, line and column of a missing or non-numeric cell.
    public func numbers(_ name: String) throws -> [Float] {
        let index = try index(of: name)
        return try columns[index].enumerated().map { row, cell in try number(cell, row: row, column: index) }
    }

    /// The rows × columns tensor of `columns` (all of them when nil), in that order; every cell must be a
    /// number: a missing or non-numeric one throws naming the file, line and column, and the fix.
    public func tensor(columns names: [String]? = nil) throws -> Tensor {
        let indices = try (names ?? columnNames).map { try index(of: $0) }
        var values = [Float]()
        values.reserveCapacity(rowCount * indices.count)
        for row in 0..<rowCount {
            for column in indices { values.append(try number(columns[column][row], row: row, column: column)) }
        }
        return try Tensor(shape: [rowCount, indices.count], scalars: values)
    }

    private func number(_ cell: String?, row: Int, column: Int) throws -> Float {
        let place = "\(source), line \(lineNumbers[row]), column '\(columnNames[column])'"
        guard let cell else {
            throw DataError("\(place): the value is missing; drop such rows first with dropMissing() (pandas' dropna) or fill them with fillingMissing(_:with:)")
        }
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed), !trimmed.hasPrefix("0x"), !trimmed.hasPrefix("-0x") else {
            throw DataError("\(place): '\(cell.prefix(40))' is not a number; if it marks a missing value pass it in naValues (e.g. naValues: [\"\(cell.prefix(10))\"]) and drop those rows, else leave the column out of tensor(columns:) or one-hot encode it")
        }
        let single = Float(value)
        guard single.isFinite || !value.isFinite else {
            throw DataError("\(place): \(cell) is outside Float32's range (±3.4e38); rescale the column")
        }
        return single
    }
}
