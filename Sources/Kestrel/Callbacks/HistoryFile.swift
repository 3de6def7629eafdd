import Foundation

/// The two file layouts a training log is saved in (`History.save(to:)`, the dashboard, the CLI's run
/// folders): Kestrel's history JSON (what `kestrel diagnose` reads) and Keras's CSVLogger CSV.
/// KestrelDiagnostics' `TrainingLogReader` reads both back.
public enum HistoryFile {
    /// `{"epoch": [...], "history": {"loss": [...], ...}}`, keys sorted; missing and non-finite
    /// values are `null`. A recorded `DataFingerprint` goes under `"data"` (`training_samples`,
    /// `validation_samples`, `training_targets_hash`, `validation_targets_hash`; what is unknown is left out).
    public static func json(_ log: TrainingLog) throws -> Data {
        var object: [String: Any] = [
            "epoch": log.epochs,
            "history": log.series.mapValues { values in
                values.map { value -> Any in
                    guard let value, value.isFinite else { return NSNull() }
                    return value
                }
            },
        ]
        if let data = log.data {
            var fields: [String: Any] = [:]
            fields["training_samples"] = data.trainingSamples
            fields["validation_samples"] = data.validationSamples
            fields["training_targets_hash"] = data.trainingTargets
            fields["validation_targets_hash"] = data.validationTargets
            object["data"] = fields
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Keras's CSVLogger layout: `epoch`, then the metric names sorted, one row per epoch; numbers as
    /// Python prints them, `NA` where a metric was not logged.
    public static func csv(_ log: TrainingLog) -> String {
        let names = log.metricNames
        var lines = [(["epoch"] + names).joined(separator: ",")]
        for (row, epoch) in log.epochs.enumerated() {
            let fields = names.map { name -> String in
                guard let values = log.series[name], row < values.count, let value = values[row] else { return "NA" }
                return CSVFormatting.format(value)
            }
            lines.append(([String(epoch)] + fields).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
