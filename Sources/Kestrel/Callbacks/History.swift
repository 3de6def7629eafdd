import Foundation

/// Records every epoch's logs (Keras's `History`, returned by `fit`): `history["val_loss"]` is the
/// list of validation losses, one per epoch.
public final class History: Callback, @unchecked Sendable {
    /// Metric name → one value per epoch.
    public private(set) var history: [String: [Double]] = [:]
    /// The epoch indices recorded (0-based, as Keras's `history.epoch`).
    public private(set) var epoch: [Int] = []

    /// The values logged under `key`, or nil if never logged.
    public subscript(key: String) -> [Double]? { history[key] }

    /// The logged keys, sorted.
    public var keys: [String] { history.keys.sorted() }

    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        self.epoch.append(epoch)
        for (key, value) in logs { history[key, default: []].append(value) }
    }

    /// Adds an epoch's logs directly (for building a history by hand or from a file).
    public func record(epoch: Int, logs: [String: Double]) {
        var copy = logs
        onEpochEnd(epoch, logs: &copy)
    }

    /// `{"epoch": [...], "history": {"loss": [...], ...}}` — the Kestrel history JSON that
    /// `kestrel diagnose` reads.
    public func jsonData() throws -> Data {
        let object: [String: Any] = [
            "epoch": epoch,
            "history": history.mapValues { $0.map { $0.isFinite ? $0 as Any : NSNull() } },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// The history as Keras's CSVLogger writes it: `epoch` then the keys sorted, one row per epoch.
    public func csvText() -> String {
        let columns = keys
        var lines = [(["epoch"] + columns).joined(separator: ",")]
        for (row, epochIndex) in epoch.enumerated() {
            let values = columns.map { key -> String in
                guard let series = history[key], row < series.count, series[row].isFinite else { return "" }
                return CSVFormatting.format(series[row])
            }
            lines.append(([String(epochIndex)] + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `jsonData()` (".json") or `csvText()` (".csv") to `path` atomically.
    public func save(to path: String) throws {
        let data = path.lowercased().hasSuffix(".csv") ? Data(csvText().utf8) : try jsonData()
        try AtomicFile.write(data, to: path)
    }
}
