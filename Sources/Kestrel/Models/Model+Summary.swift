import Foundation

extension Model {
    /// Prints the layer table (Keras 3's `model.summary()`), as wide as Keras makes it on this terminal
    /// (`COLUMNS` or the terminal's width; 88 columns at most unless `lineLength` is given). Long layer
    /// names wrap onto a second line, as Keras's table wraps them.
    public func summary(lineLength: Int? = nil) {
        print(summaryText(lineLength: lineLength, terminalColumns: SummaryLayout.terminalColumns()), terminator: "")
    }

    /// The `summary()` table as text: `Layer (type)`, `Output Shape`, `Param #`, then the totals with
    /// their sizes in bytes, trainable and non-trainable counts. Laid out for an 80-column terminal (what
    /// Keras prints when output is not a terminal) unless `lineLength` or `terminalColumns` says otherwise.
    public func summaryText(lineLength: Int? = nil, terminalColumns: Int = 80) -> String {
        if let graph { return functionalSummaryText(graph, lineLength: lineLength, terminalColumns: terminalColumns) }
        let table = SummaryTable(widths: SummaryLayout.columnWidths(columnCount: 3, lineLength: lineLength, terminalColumns: terminalColumns),
                                 rightAligned: [2])
        var text = "Model: \"\(name)\"\n"
        text += table.rule("┏", "━", "┳", "┓")
        text += table.row(["Layer (type)", "Output Shape", "Param #"], left: "┃", middle: "┃", right: "┃")
        text += table.rule("┡", "━", "╇", "┩")
        let inputShape = builtInputShape
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            var shapeText = "?"
            if let current = shape, let output = try? layer.computeOutputShape(current) {
                shapeText = LayerNaming.format(output)
                shape = output
            } else {
                shape = nil
            }
            let params = layer.isBuilt ? Self.grouped(layer.countParams()) : "0 (unbuilt)"
            text += table.row(["\(layer.name) (\(layer.className))", shapeText, params], left: "│", middle: "│", right: "│")
            if index < layers.count - 1 { text += table.rule("├", "─", "┼", "┤") }
        }
        text += table.rule("└", "─", "┴", "┘")
        return text + summaryTotals()
    }

    /// The lines under the table: total, trainable, non-trainable (and optimizer) counts with sizes.
    func summaryTotals() -> String {
        var text = ""
        let trainable = weights.filter(\.trainable).reduce(0) { $0 + $1.value.count }
        let total = countParams()
        var optimizerParams = 0
        if let optimizer, optimizer.isBuilt { optimizerParams = optimizer.slotCount * trainable + 2 }
        // Keras's optimizer `iterations` is an int64: 4 bytes more than float32.
        let optimizerBytes = optimizerParams > 0 ? 4 * optimizerParams + 4 : 0
        text += " Total params: \(Self.grouped(total + optimizerParams)) (\(Self.readableBytes(4 * total + optimizerBytes)))\n"
        text += " Trainable params: \(Self.grouped(trainable)) (\(Self.readableBytes(4 * trainable)))\n"
        text += " Non-trainable params: \(Self.grouped(total - trainable)) (\(Self.readableBytes(4 * (total - trainable))))\n"
        if optimizerParams > 0 {
            text += " Optimizer params: \(Self.grouped(optimizerParams)) (\(Self.readableBytes(optimizerBytes)))\n"
        }
        return text
    }

    /// 101770 → "101,770".
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(abs(value)))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// Keras's `readable_memory_size`: 407080 → "397.54 KB".
    static func readableBytes(_ bytes: Int) -> String {
        var size = Double(bytes)
        for unit in ["B", "KB", "MB", "GB", "TB"] {
            if size / 1024 < 1 { return String(format: "%.2f %@", size, unit) }
            size /= 1024
        }
        return String(format: "%.2f PB", size)
    }
}
