import Foundation

/// Writes each epoch's logs to a CSV file as Keras's `CSVLogger` does: a header `epoch,<keys
/// sorted>`, then one row per epoch. With `append` the rows go after an existing file's rows.
/// Every write replaces the file atomically, so it is never seen half-written.
public final class CSVLogger: Callback, @unchecked Sendable {
    /// The CSV file written.
    public let filename: String
    /// The field separator (Keras's `separator`, "," by default).
    public let separator: String
    /// Whether rows go after those of an existing file instead of replacing it.
    public let append: Bool
    private var keys: [String]?
    private var content = ""

    /// Makes the callback.
    public init(_ filename: String, separator: String = ",", append: Bool = false) {
        self.filename = filename
        self.separator = separator
        self.append = append
        super.init()
    }

    /// The most bytes of an existing log `append` continues (a million epochs of a dozen metrics is ~200 MB).
    static let largestAppendedLogBytes = 1 << 28

    /// Starts a new table, or continues the existing file's with `append` (whatever its line ends: `\n`,
    /// `\r\n` or `\r`). An existing file that is not a readable UTF-8 text file (a folder, a FIFO, a
    /// device, binary data) is an error naming it, instead of being silently replaced.
    public override func onTrainBegin(logs: inout [String: Double]) throws {
        keys = nil
        content = ""
        guard append, InputFile.kind(of: filename) != .missing else { return }
        let data: Data
        do {
            data = try InputFile.read(filename, argument: "CSVLogger(append: true)", expected: "a CSV log",
                                      limit: Self.largestAppendedLogBytes)
        } catch let error as DataError {
            throw KestrelError.fileError(error.message)
        }
        guard let existing = String(data: data, encoding: .utf8) else {
            throw KestrelError.fileError("CSVLogger(append: true): '\(filename)' is not UTF-8 text, so not a CSV log to continue; pass another filename or remove it.")
        }
        guard let last = existing.unicodeScalars.last else { return }
        content = last == "\n" || last == "\r" ? existing : existing + "\n"
    }

    /// Adds the epoch's row and rewrites the file atomically; a key missing from a later epoch is written as `NA`.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        if keys == nil {
            keys = logs.keys.sorted()
            if content.isEmpty { content += (["epoch"] + (keys ?? [])).joined(separator: separator) + "\n" }
        }
        let values = (keys ?? []).map { key in logs[key].map(CSVFormatting.format) ?? "NA" }
        content += ([String(epoch)] + values).joined(separator: separator) + "\n"
        try AtomicFile.write(Data(content.utf8), to: filename)
    }

    /// The header keys and the rows written so far.
    public override func stateDictionary() throws -> [String: StateValue] {
        ["keys": keys.map { .array($0.map(StateValue.string)) } ?? .null, "content": .string(content)]
    }

    /// Continues the file from saved rows.
    public override func restoreState(_ state: [String: StateValue]) throws {
        guard let saved = state["content"]?.stringValue else { throw StateValue.damaged("content", "text") }
        content = saved
        keys = state["keys"]?.arrayValue?.compactMap(\.stringValue)
    }
}
