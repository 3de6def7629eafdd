import KestrelTensor

extension CSVTable {
    /// The table without the rows that miss a value in any of `columns` (all columns when nil) —
    /// pandas' `dropna(subset=…)`.
    public func dropMissing(columns names: [String]? = nil) throws -> CSVTable {
        let indices = try (names ?? columnNames).map { try index(of: $0) }
        let keep = (0..<rowCount).filter { row in indices.allSatisfy { columns[$0][row] != nil } }
        return try rows(keep)
    }

    /// The table with missing cells of `column` replaced by `value` (pandas' `fillna`).
    public func fillingMissing(_ column: String, with value: String) throws -> CSVTable {
        var copy = self
        let index = try index(of: column)
        copy.columns[index] = columns[index].map { $0 ?? value }
        return copy
    }

    /// The rows at `indices`, in that order (pandas' `iloc`); throws on an index out of range.
    public func rows(_ indices: [Int]) throws -> CSVTable {
        if let bad = indices.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw DataError.invalidArgument("indices", "row \(bad) is outside 0..<\(rowCount)")
        }
        return try CSVTable(columnNames: columnNames, columns: columns.map { column in indices.map { column[$0] } },
                            lineNumbers: indices.map { lineNumbers[$0] }, source: source)
    }

    /// The first `count` rows (pandas' `head`).
    public func head(_ count: Int = 5) throws -> CSVTable { try rows(Array(0..<min(max(count, 0), rowCount))) }

    /// Only `names`, in that order.
    public func selecting(columns names: [String]) throws -> CSVTable {
        let indices = try names.map { try index(of: $0) }
        return try CSVTable(columnNames: names, columns: indices.map { columns[$0] }, lineNumbers: lineNumbers, source: source)
    }

    /// The table without `names` (pandas' `drop(columns=…)`).
    public func dropping(columns names: [String]) throws -> CSVTable {
        for name in names { _ = try index(of: name) }
        return try selecting(columns: columnNames.filter { !names.contains($0) })
    }

    /// Column `name` taken out: the remaining table and the column as numbers (pandas' `pop`).
    public func popping(_ name: String) throws -> (table: CSVTable, column: Tensor) {
        let values = try numbers(name)
        return (try dropping(columns: [name]), try Tensor(shape: [values.count, 1], scalars: values))
    }

    /// Column `name` with each cell replaced through `mapping` (pandas' `Series.map` with a dict: a
    /// cell not in the mapping becomes missing, as pandas makes it NaN).
    public func mapping(_ name: String, _ mapping: [String: String]) throws -> CSVTable {
        var copy = self
        let index = try index(of: name)
        copy.columns[index] = columns[index].map { cell in cell.flatMap { mapping[$0] } }
        return copy
    }

    /// One-hot encoding of categorical columns (pandas' `get_dummies(columns=…, prefix=…, prefix_sep=…)`):
    /// each column is removed and one "1"/"0" column per distinct value, sorted, is appended at the end,
    /// named `prefix + separator + value` (`prefix` defaults to the column's name; the Auto MPG tutorial
    /// passes `prefix: "", separator: ""` to get USA / Europe / Japan). A missing cell gets 0 everywhere.
    public func oneHot(columns names: [String], prefix: String? = nil, separator: String = "_") throws -> CSVTable {
        var result = try dropping(columns: names)
        for name in names {
            let cells = try column(name)
            let categories = Array(Set(cells.compactMap { $0 })).sorted()
            guard categories.count <= 10_000 else {
                throw DataError("\(source): column '\(name)' has \(categories.count) distinct values, too many to one-hot encode; is it numeric?")
            }
            for category in categories {
                let label = (prefix ?? name) + ((prefix ?? name).isEmpty && separator.isEmpty ? "" : separator) + category
                guard !result.columnNames.contains(label) else {
                    throw DataError("\(source): one-hot column '\(label)' would repeat an existing column name; pass another prefix")
                }
                result.columnNames.append(label)
                result.columns.append(cells.map { $0 == category ? "1" : "0" })
            }
        }
        return result
    }

    /// A random `fraction` of the rows and the rest, the sample in drawn order and the rest in the original
    /// order — pandas' `sample(frac=…, random_state=seed)` then `drop(sample.index)`, with the same rows:
    /// pandas draws `RandomState(seed).choice(n, round(frac·n), replace=False)`, the first of
    /// `RandomState(seed).permutation(n)`, and rounds half to even as Python's `round`. `seed` must be in
    /// 0..<2³², as NumPy requires.
    public func sample(fraction: Double, seed: UInt64) throws -> (sample: CSVTable, rest: CSVTable) {
        guard fraction >= 0, fraction <= 1 else { throw DataError.invalidArgument("fraction", "must be in 0…1, got \(fraction)") }
        guard let numpySeed = UInt32(exactly: seed) else {
            throw DataError.invalidArgument("seed", "must be in 0..<2³² (NumPy's RandomState seeds), got \(seed)")
        }
        var generator = NumPyRandomState(seed: numpySeed)
        var order = Array(0..<rowCount)
        generator.shuffle(&order)
        let count = Int((fraction * Double(rowCount)).rounded(.toNearestOrEven))
        let chosen = Array(order.prefix(count))
        let chosenSet = Set(chosen)
        return (try rows(chosen), try rows((0..<rowCount).filter { !chosenSet.contains($0) }))
    }

    /// Mean and (sample, ddof 1) standard deviation of each numeric column, as pandas'
    /// `describe().transpose()[['mean', 'std']]` prints them; columns that are not numbers are skipped.
    public func describe() -> [(column: String, mean: Double, std: Double)] {
        columnNames.indices.compactMap { index in
            let values = columns[index].compactMap { $0.flatMap { Double($0) } }
            guard values.count == columns[index].count, !values.isEmpty else { return nil }
            let mean = values.reduce(0, +) / Double(values.count)
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let std = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : .nan
            return (columnNames[index], mean, std)
        }
    }
}
