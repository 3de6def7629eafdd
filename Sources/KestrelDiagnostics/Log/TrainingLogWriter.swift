import Foundation
import Kestrel

/// Writes a training log as Kestrel's history JSON or as a Keras CSVLogger CSV, in the same layouts
/// as `History.save(to:)` (both use Kestrel's `HistoryFile`); missing values (NaN) are written as
/// JSON `null` and CSV `NA`.
public enum TrainingLogWriter {
    /// `{"epoch": [...], "history": {"loss": [...], ...}}`; missing values become `null`.
    public static func kestrelJSON(_ log: TrainingLog) throws -> String {
        String(decoding: try HistoryFile.json(epochs: log.epochs, series: loggedValues(log)), as: UTF8.self)
    }

    /// The CSVLogger layout: `epoch` then the metric names sorted; missing values `NA`.
    public static func csv(_ log: TrainingLog) -> String {
        HistoryFile.csv(epochs: log.epochs, series: loggedValues(log))
    }

    /// The log's series with NaN (not logged) as nil.
    private static func loggedValues(_ log: TrainingLog) -> [String: [Double?]] {
        log.series.mapValues { values in values.map { $0.isNaN ? nil : $0 } }
    }
}
