/// Why a training log could not be built or read. Each message names the problem and the fix.
public enum TrainingLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The metric series have different lengths (the associated text lists them).
    case unequalLengths(String)
    /// The epoch list and the metric series differ in length.
    case epochCountMismatch(epochs: Int, values: Int)
    /// The file could not be read at all.
    case unreadableFile(path: String, reason: String)
    /// The file's contents are neither a history JSON nor a CSVLogger CSV.
    case unrecognisedFormat(path: String)
    /// The JSON could not be parsed or has the wrong shape.
    case invalidJSON(String)
    /// The CSV could not be parsed (line is 1-based).
    case invalidCSV(line: Int, reason: String)
    /// The file holds no epoch at all (`{}`, empty lists, a header-only CSV).
    case empty

    /// The message, which names what is at fault and the fix.
    public var description: String {
        switch self {
        case .unequalLengths(let lengths):
            return "The metric series have different lengths (\(lengths)); give every metric one value per epoch."
        case .epochCountMismatch(let epochs, let values):
            return "The log lists \(epochs) epochs but \(values) values per metric; give one epoch number per value."
        case .unreadableFile(let path, let reason):
            return "Cannot read the training log '\(path)': \(reason)."
        case .unrecognisedFormat(let path):
            return "'\(path)' is neither a history JSON ({\"loss\": [...], ...}) nor a Keras CSVLogger CSV (first column 'epoch'); pass one of those."
        case .invalidJSON(let reason):
            return "The history JSON is not valid: \(reason)."
        case .empty:
            return "The training log holds no epoch (no metric values at all); pass the history of a run that trained at least one epoch."
        case .invalidCSV(let line, let reason):
            return "The CSVLogger file is not valid at line \(line): \(reason)."
        }
    }
}
