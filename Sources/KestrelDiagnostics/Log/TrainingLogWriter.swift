import Foundation

/// Writes a training log as Kestrel's history JSON or as a Keras CSVLogger CSV.
public enum TrainingLogWriter {
    /// `{"epoch": [...], "history": {"loss": [...], ...}}`; missing values become `null`.
    public static func kestrelJSON(_ log: TrainingLog) -> String {
        let history = log.metricNames.map { name in
            let values = (log.series[name] ?? []).map(formatJSONNumber).joined(separator: ", ")
            return "    \(jsonString(name)): [\(values)]"
        }.joined(separator: ",\n")
        let epochs = log.epochs.map(String.init).joined(separator: ", ")
        return "{\n  \"epoch\": [\(epochs)],\n  \"history\": {\n\(history)\n  }\n}\n"
    }

    /// The CSVLogger layout: `epoch` then the metric names sorted; missing values `NA`.
    public static func csv(_ log: TrainingLog) -> String {
        let names = log.metricNames
        var lines = [(["epoch"] + names).joined(separator: ",")]
        for (row, epoch) in log.epochs.enumerated() {
            let fields = names.map { name -> String in
                let value = log.series[name]?[row] ?? .nan
                return value.isNaN ? "NA" : "\(value)"
            }
            lines.append(([String(epoch)] + fields).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func formatJSONNumber(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
