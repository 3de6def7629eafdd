import Foundation

/// The two file layouts a training history is saved in, shared by `History.save(to:)` and
/// KestrelDiagnostics' `TrainingLogWriter`: Kestrel's history JSON (what `kestrel diagnose` reads)
/// and Keras's CSVLogger CSV. A value that was not logged in an epoch is `nil`.
public enum HistoryFile {
    /// `{"epoch": [...], "history": {"loss": [...], ...}}`, keys sorted; missing and non-finite
    /// values are `null`.
    public static func json(epochs: [Int], series: [String: [Double?]]) throws -> Data {
        let object: [String: Any] = [
            "epoch": epochs,
            "history": series.mapValues { values in
                values.map { value -> Any in
                    guard let value, value.isFinite else { return NSNull() }
                    return value
                }
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Keras's CSVLogger layout: `epoch`, then the metric names sorted, one row per epoch; numbers as
    /// Python prints them, `NA` where a metric was not logged.
    public static func csv(epochs: [Int], series: [String: [Double?]]) -> String {
        let names = series.keys.sorted()
        var lines = [(["epoch"] + names).joined(separator: ",")]
        for (row, epoch) in epochs.enumerated() {
            let fields = names.map { name -> String in
                guard let values = series[name], row < values.count, let value = values[row] else { return "NA" }
                return CSVFormatting.format(value)
            }
            lines.append(([String(epoch)] + fields).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
