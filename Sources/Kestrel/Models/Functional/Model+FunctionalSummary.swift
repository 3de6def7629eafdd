extension Model {
    /// Keras 3's `summary()` table for a functional model: a plain layer table when the graph is a
    /// chain (one call per depth, one input each, no shared layer), else with a `Connected to` column
    /// (`layer[node][tensor]`). Nested models are one row; cells wrap at spaces as Keras's table does.
    func functionalSummaryText(_ graph: FunctionalGraph, lineLength: Int?, terminalColumns: Int) -> String {
        let chain = graph.isChainLike
        let widths = SummaryLayout.columnWidths(columnCount: chain ? 3 : 4, lineLength: lineLength, terminalColumns: terminalColumns)
        let header = chain ? ["Layer (type)", "Output Shape", "Param #"] : ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        let table = SummaryTable(widths: widths, rightAligned: [2])
        var text = "Model: \"\(name)\"\n"
        text += table.rule("┏", "━", "┳", "┓")
        text += table.row(header, left: "┃", middle: "┃", right: "┃")
        text += table.rule("┡", "━", "╇", "┩")
        for (index, layer) in graph.layers.enumerated() {
            var cells = ["\(layer.name) (\(layer.className))", Self.summaryShape(of: layer),
                         layer.isBuilt ? Self.grouped(layer.countParams()) : "0 (unbuilt)"]
            if !chain { cells.append(graph.connections(of: layer)) }
            text += table.row(cells, left: "│", middle: "│", right: "│")
            if index < graph.layers.count - 1 { text += table.rule("├", "─", "┼", "┤") }
        }
        text += table.rule("└", "─", "┴", "┘")
        return text + summaryTotals()
    }

    /// The output shape of the layer's last call, as Keras prints it ("(None, 8)", or a list of them).
    private static func summaryShape(of layer: Layer) -> String {
        guard let node = layer.inboundNodes.nodes.last else { return "?" }
        let shapes = node.outputShapes.map { LayerNaming.format($0) }
        return shapes.count == 1 ? shapes[0] : "[" + shapes.joined(separator: ", ") + "]"
    }
}

extension FunctionalGraph {
    /// Whether Keras would print the model as a plain chain (`sequential_like` in its summary).
    var isChainLike: Bool {
        var perDepth: [Int: [Node]] = [:]
        for node in nodes { perDepth[nodeDepths[ObjectIdentifier(node)] ?? 0, default: []].append(node) }
        for group in perDepth.values where group.count > 1 || (group.count == 1 && group[0].inputs.count > 1) {
            return false
        }
        let members = Set(nodes.map(ObjectIdentifier.init))
        for layer in layers where layer.inboundNodes.nodes.filter({ members.contains(ObjectIdentifier($0)) }).count > 1 {
            return false
        }
        return true
    }

    /// The `Connected to` cell: every input of the layer's calls in this graph, as `name[node][tensor]`.
    func connections(of layer: Layer) -> String {
        let members = Set(nodes.map(ObjectIdentifier.init))
        var parts: [String] = []
        for node in layer.inboundNodes.nodes where members.contains(ObjectIdentifier(node)) {
            for tensor in node.inputs {
                let producer = tensor.node.layer
                let nodeIndex = producer.inboundNodes.index(of: tensor.node) ?? 0
                parts.append("\(producer.name)[\(nodeIndex)][\(tensor.index)]")
            }
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }
}

/// The box-drawn table of `summary()`: fixed column widths, text wrapped at spaces (a word too long
/// for its column is cut with "…"), some columns right-aligned.
struct SummaryTable {
    let widths: [Int]
    let rightAligned: Set<Int>

    func rule(_ left: String, _ fill: String, _ middle: String, _ right: String) -> String {
        left + widths.map { String(repeating: fill, count: $0 + 2) }.joined(separator: middle) + right + "\n"
    }

    func row(_ cells: [String], left: String, middle: String, right: String) -> String {
        let wrapped = zip(cells, widths).map { Self.wrap($0.0, width: $0.1) }
        let height = wrapped.map(\.count).max() ?? 1
        var text = ""
        for line in 0..<height {
            let parts = wrapped.enumerated().map { column, lines -> String in
                let cell = line < lines.count ? lines[line] : ""
                let padding = String(repeating: " ", count: max(widths[column] - cell.count, 0))
                return " " + (rightAligned.contains(column) ? padding + cell : cell + padding) + " "
            }
            text += left + parts.joined(separator: middle) + right + "\n"
        }
        return text
    }

    /// Greedy word wrap of `text` into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let fitted = word.count > width ? String(word.prefix(width - 1)) + "…" : word
            if current.isEmpty {
                current = fitted
            } else if current.count + 1 + fitted.count <= width {
                current += " " + fitted
            } else {
                lines.append(current)
                current = fitted
            }
        }
        lines.append(current)
        return lines
    }
}
