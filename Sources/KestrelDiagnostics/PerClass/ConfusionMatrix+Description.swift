extension ConfusionMatrix: CustomStringConvertible {
    /// The table a reader expects from `print(confusionMatrix)`: one row per true class, one column per
    /// predicted class, counts right-aligned under the class names.
    ///
    ///     Confusion matrix (rows: true class, columns: predicted class)
    ///           cat  dog
    ///     cat    50    2
    ///     dog     3   45
    public var description: String {
        let rowLabelWidth = classNames.map(\.count).max() ?? 0
        let columnWidths = counts.indices.map { column in
            Swift.max(classNames[column].count, counts.map { String($0[column]).count }.max() ?? 1)
        }
        func line(_ label: String, _ cells: [String]) -> String {
            let cellsText = zip(cells, columnWidths).map { cell, width in
                "  " + String(repeating: " ", count: width - cell.count) + cell
            }.joined()
            return label + String(repeating: " ", count: rowLabelWidth - label.count) + cellsText
        }
        var lines = ["Confusion matrix (rows: true class, columns: predicted class)", line("", classNames)]
        for (row, name) in classNames.enumerated() { lines.append(line(name, counts[row].map(String.init))) }
        return lines.joined(separator: "\n")
    }
}
