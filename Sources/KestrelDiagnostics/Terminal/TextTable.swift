/// A plain-text table with aligned columns, for terminal output (internal).
enum TextTable {
    /// `rows` under `titles`, columns padded to their widest cell, two spaces apart.
    static func render(titles: [String], rows: [[String]]) -> String {
        let all = [titles] + rows
        let columns = all.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            (0..<columns).map { column -> String in
                let cell = column < cells.count ? cells[column] : ""
                return cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(titles), rule] + rows.map(line)).joined(separator: "\n")
    }
}

private extension String {
    func replacingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
