import Foundation
import Kestrel

/// Reads training logs from the files people have: Kestrel's history JSON, Keras's
/// `json.dump(history.history)` and Keras's `CSVLogger` CSV.
///
/// Formats:
/// - Kestrel history JSON: `{"history": {"loss": [...], "val_loss": [...]}, "epoch": [0, 1, ...]}`
///   (`epoch` optional; other top-level keys ignored).
/// - Keras history JSON: `{"loss": [...], "val_loss": [...], ...}`; after `fit(validation_freq=k)` its
///   `val_` lists are shorter (one value per validated epoch) and are put at the epochs k, 2k, ….
/// - Keras CSVLogger: a header `epoch,<keys sorted alphabetically>`, one row per epoch,
///   missing values written as `NA`.
/// - pandas `pd.DataFrame(history.history).to_csv(path)`: the same without `epoch`, with the
///   index as an unnamed first column (or no index column with `index=False`).
///
/// A value that was not logged (JSON `null`, CSV `NA` or an empty field) is nil in the log; a logged
/// NaN (`NaN` in Keras's JSON, `nan` in a CSV) stays NaN. A log without a single epoch (`{}`, a
/// header-only CSV) is an error, not an empty diagnosis.
public enum TrainingLogReader {
    /// Reads the file at `url`, recognising the format from its content.
    /// - Throws: `TrainingLogError` naming the file and what is wrong with it.
    public static func read(contentsOf url: URL) throws -> TrainingLog {
        let data = try readBounded(url.path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw TrainingLogError.unreadableFile(path: url.path, reason: "it is not UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let log: TrainingLog
        if trimmed.hasPrefix("{") {
            log = try parseJSON(data)
        } else if looksLikeCSV(trimmed) {
            log = try parseCSV(text)
        } else {
            throw TrainingLogError.unrecognisedFormat(path: url.path)
        }
        return log
    }

    /// The most bytes a training log may hold (a million epochs of a dozen metrics is ~200 MB).
    static let largestLogBytes = 1 << 28

    /// The bytes of the regular file at `path`; a missing file, a folder, a FIFO or a device (which would
    /// block or never end) and a file beyond `largestLogBytes` are errors that say which.
    private static func readBounded(_ path: String) throws -> Data {
        let reason: String
        switch InputFile.kind(of: path) {
        case .regular(let size) where size > largestLogBytes:
            reason = "it holds \(size) bytes, more than the \(largestLogBytes) a training log may; pass the history JSON or CSVLogger file"
        case .regular:
            do {
                return try InputFile.read(path, expected: "a training log", limit: largestLogBytes)
            } catch let error as DataError {
                throw TrainingLogError.unreadableFile(path: path, reason: "the file is not readable (\(error.message))")
            }
        case .missing: reason = "no such file"
        case .directory: reason = "it is a folder, not a file; pass the history JSON or CSVLogger file inside it"
        case .unreadable(let detail): reason = "the file is not readable (\(detail))"
        case let other:
            reason = "it is not a regular file but \(other.description); save the log to a file and pass its path"
        }
        throw TrainingLogError.unreadableFile(path: path, reason: reason)
    }

    /// A first line of comma-separated names (CSVLogger's `epoch,…`, or pandas' `,loss,…` / `loss,…`).
    private static func looksLikeCSV(_ text: String) -> Bool {
        guard let firstLine = text.split(whereSeparator: \.isNewline).first else { return false }
        let lower = firstLine.lowercased()
        return lower.hasPrefix("epoch") || (lower.contains(",") && lower.contains("loss"))
    }

    /// Parses a Kestrel history JSON or a Keras `history.history` JSON.
    public static func parseJSON(_ data: Data) throws -> TrainingLog {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        let root: ConfigValue
        do {
            root = try decoder.decode(ConfigValue.self, from: data)
        } catch {
            throw TrainingLogError.invalidJSON("it does not parse as JSON")
        }
        guard case .object(let top) = root else {
            throw TrainingLogError.invalidJSON("the top level must be an object of metric name → list of values")
        }
        if case .object(let history)? = top["history"] {
            let series = try numberSeries(history)
            var epochs: [Int]?
            if case .array(let list)? = top["epoch"] {
                epochs = try list.map { item in
                    guard let number = item.numberValue, let epoch = Int(exactly: number),
                          TrainingLog.validEpochs.contains(epoch) else {
                        throw TrainingLogError.invalidJSON(
                            "'epoch' must be a list of whole numbers in \(TrainingLog.validEpochs), got \(item.numberValue.map { "\($0)" } ?? "a non-number")")
                    }
                    return epoch
                }
            }
            var log = try nonEmpty(TrainingLog(series: series, epochs: epochs))
            if let data = top["data"] { log.data = try dataFingerprint(data) }
            return log
        }
        return try nonEmpty(TrainingLog(series: alignedValidation(numberSeries(top))))
    }

    /// Keras's `history.history` after `fit(validation_freq=k)` holds one `val_` value per validated epoch
    /// (epochs k, 2k, … counted from 1), so its `val_` lists are shorter than the training lists. Each is
    /// spread onto the rows of the epochs it was measured in (nil in between), when exactly one whole `k`
    /// gives that many validated epochs; otherwise (a list of epochs was given, or several `k` fit) the
    /// epochs cannot be told and the error says so. Lists of equal length are returned unchanged.
    static func alignedValidation(_ series: [String: [Double?]]) throws -> [String: [Double?]] {
        let trainingLengths = Set(series.filter { !$0.key.hasPrefix("val_") }.values.map(\.count))
        guard trainingLengths.count == 1, let epochs = trainingLengths.first, epochs > 0 else { return series }
        let short = series.filter { $0.key.hasPrefix("val_") && $0.value.count < epochs }
        guard let shortest = short.min(by: { $0.key < $1.key }) else { return series }
        let validated = shortest.value.count
        let described = "'\(shortest.key)' has \(validated) values for \(epochs) epochs"
        guard short.allSatisfy({ $0.value.count == validated }),
              series.allSatisfy({ !$0.key.hasPrefix("val_") || $0.value.count == validated }) else {
            throw TrainingLogError.invalidJSON("\(described), but other val_ lists have other lengths; every list must have one value per epoch")
        }
        // validation_freq = k validates epochs k, 2k, … of 1…epochs: epochs / k of them.
        let frequencies = validated == 0 || epochs < 2 ? [] : (2...epochs).filter { epochs / $0 == validated }
        guard frequencies.count == 1, let frequency = frequencies.first else {
            let reason = frequencies.isEmpty ? "no validation_freq gives that many validated epochs"
                : "validation_freq \(frequencies.first ?? 0)…\(frequencies.last ?? 0) all fit, so the validated epochs cannot be told"
            throw TrainingLogError.invalidJSON("\(described) (\(reason)); log with keras.callbacks.CSVLogger, which writes NA in the epochs without validation")
        }
        var aligned = series
        for (name, values) in short {
            var column = [Double?](repeating: nil, count: epochs)
            for (index, value) in values.enumerated() { column[(index + 1) * frequency - 1] = value }
            aligned[name] = column
        }
        return aligned
    }

    /// Parses the text of a Keras `CSVLogger` file (any column order; `epoch` optional).
    public static func parseCSV(_ text: String) throws -> TrainingLog {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { String($0) }
        let rows = lines.enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = rows.first else { throw TrainingLogError.invalidCSV(line: 1, reason: "the file is empty") }
        var names = splitCSVLine(header.element).map { $0.trimmingCharacters(in: .whitespaces) }
        // pandas writes its index as an unnamed first column ("Unnamed: 0" once read back and saved again).
        if names.count > 1, names[0].isEmpty || names[0].hasPrefix("Unnamed: ") || names[0] == "index", !names.contains("epoch") {
            names[0] = "epoch"
        }
        if names.isEmpty || names.contains("") {
            throw TrainingLogError.invalidCSV(line: header.offset + 1, reason: "the header has an empty column name")
        }
        let epochColumn = names.firstIndex(of: "epoch")
        var epochs: [Int] = []
        var series: [String: [Double?]] = [:]
        for name in names where name != "epoch" { series[name] = [] }
        for (offset, line) in rows.dropFirst() {
            let fields = splitCSVLine(line)
            guard fields.count == names.count else {
                throw TrainingLogError.invalidCSV(line: offset + 1,
                    reason: "expected \(names.count) fields like the header, found \(fields.count)")
            }
            for (column, field) in fields.enumerated() {
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                if column == epochColumn {
                    guard let epoch = Int(trimmed), TrainingLog.validEpochs.contains(epoch) else {
                        throw TrainingLogError.invalidCSV(line: offset + 1,
                            reason: "epoch '\(trimmed)' is not a whole number in \(TrainingLog.validEpochs)")
                    }
                    epochs.append(epoch)
                } else {
                    guard let value = parseNumber(trimmed) else {
                        throw TrainingLogError.invalidCSV(line: offset + 1,
                            reason: "'\(trimmed)' in column '\(names[column])' is not a number")
                    }
                    series[names[column], default: []].append(value)
                }
            }
        }
        return try nonEmpty(TrainingLog(series: series, epochs: epochColumn == nil ? nil : epochs))
    }

    /// The `"data"` object of a Kestrel history JSON (`HistoryFile.json`): sample counts and target hashes,
    /// each optional; anything else there is an error naming the field.
    private static func dataFingerprint(_ value: ConfigValue) throws -> DataFingerprint? {
        if case .null = value { return nil }
        guard case .object(let fields) = value else {
            throw TrainingLogError.invalidJSON("'data' must be an object of sample counts and target hashes")
        }
        func count(_ name: String) throws -> Int? {
            guard let field = fields[name], field != .null else { return nil }
            guard let number = field.doubleValue, let count = Int(exactly: number), count >= 0 else {
                throw TrainingLogError.invalidJSON("'data.\(name)' must be a whole number of samples ≥ 0")
            }
            return count
        }
        func hash(_ name: String) throws -> String? {
            guard let field = fields[name], field != .null else { return nil }
            guard case .string(let text) = field, text.count == 16, text.allSatisfy(\.isHexDigit) else {
                throw TrainingLogError.invalidJSON("'data.\(name)' must be a hash of 16 hexadecimal digits")
            }
            return text.lowercased()
        }
        return DataFingerprint(trainingSamples: try count("training_samples"), validationSamples: try count("validation_samples"),
                               trainingTargets: try hash("training_targets_hash"), validationTargets: try hash("validation_targets_hash"))
    }

    /// `log`, or the error for a log without a single epoch.
    private static func nonEmpty(_ log: TrainingLog) throws -> TrainingLog {
        guard log.isEmpty || log.metricNames.isEmpty else { return log }
        throw TrainingLogError.empty
    }

    private static func numberSeries(_ object: [String: ConfigValue]) throws -> [String: [Double?]] {
        var series: [String: [Double?]] = [:]
        for (name, value) in object {
            guard case .array(let items) = value else {
                throw TrainingLogError.invalidJSON("'\(name)' must be a list of numbers, one per epoch")
            }
            series[name] = try items.map { item in
                guard let value = item.loggedValue else {
                    throw TrainingLogError.invalidJSON("'\(name)' must be a list of numbers, one per epoch")
                }
                return value
            }
        }
        return series
    }

    /// Python's `csv` writes `nan`, `inf`, `-inf`; Keras writes `NA` for a missing value (nil inside).
    private static func parseNumber(_ field: String) -> Double?? {
        switch field.lowercased() {
        case "", "na", "none", "null": return .some(nil)
        case "nan": return Double.nan
        case "inf", "+inf", "infinity": return Double.infinity
        case "-inf", "-infinity": return -Double.infinity
        default: return Double(field).map(Optional.some)
        }
    }

    /// Splits one CSV line on commas, honouring double-quoted fields (`""` inside quotes).
    private static func splitCSVLine(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var characters = line.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
