#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The column widths of Keras 3's `summary()` table: a line length of 88 (108 with "Connected to"), capped at
/// the terminal's width minus 4 as Keras's `shutil.get_terminal_size()` reads it (`COLUMNS`, else the terminal
/// of standard output, else 80), split at Keras's relative positions, then narrowed as `rich` fits a table
/// of fixed-width columns into the line (one cell of padding each side, a border between columns).
enum SummaryLayout {
    /// The terminal width Keras would see: `COLUMNS` when set to a positive number, else the width of the
    /// terminal on standard output, else 80.
    static func terminalColumns(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// The text width of each column for a table with `columnCount` columns (3, or 4 with "Connected to").
    /// `lineLength` is Keras's `line_length` (nil: from `terminalColumns`).
    static func columnWidths(columnCount: Int, lineLength: Int?, terminalColumns: Int) -> [Int] {
        let positions = columnCount == 3 ? [0.45, 0.80, 1.0] : [0.3, 0.56, 0.74, 1.0]
        let length = Swift.max(lineLength ?? Swift.min(columnCount == 3 ? 88 : 108, terminalColumns - 4), 4 * columnCount)
        var widths: [Int] = []
        var current = 0
        for position in positions {
            let width = Swift.max(Int(position * Double(length)) - current, 4)
            widths.append(width + 2)
            current += width
        }
        // rich: the padded widths exceed the line less its borders; reduce them evenly (Python's rounding).
        var excess = widths.reduce(0, +) - (length - (columnCount + 1))
        var remaining = columnCount
        for index in widths.indices where excess > 0 {
            let cut = Swift.min(Int((Double(excess) / Double(remaining)).rounded(.toNearestOrEven)), widths[index] - 3)
            widths[index] -= cut
            excess -= cut
            remaining -= 1
        }
        return widths.map { $0 - 2 }
    }
}
