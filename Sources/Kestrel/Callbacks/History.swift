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

    /// Key → the rows (positions in `epoch`) its values were logged at, so files line values up
    /// with their epochs when a key is not logged every epoch (e.g. `validationFreq: 2`).
    private var rows: [String: [Int]] = [:]

    /// Appends the epoch's logs to `history`.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        self.epoch.append(epoch)
        for (key, value) in logs {
            history[key, default: []].append(value)
            rows[key, default: []].append(self.epoch.count - 1)
        }
    }

    /// The epochs and values recorded so far.
    public override func stateDictionary() throws -> [String: StateValue] {
        var series: [String: StateValue] = [:]
        for (key, values) in history {
            series[key] = .object(["values": .array(values.map { StateValue.number($0) }),
                                   "rows": .array((rows[key] ?? []).map(StateValue.int))])
        }
        return ["epoch": .array(epoch.map(StateValue.int)), "history": .object(series)]
    }

    /// Puts back the epochs and values of a resumed run.
    public override func restoreState(_ state: [String: StateValue]) throws {
        guard let epochs = state["epoch"]?.arrayValue, case .object(let series)? = state["history"] else {
            throw StateValue.damaged("History", "epochs and series")
        }
        epoch = try epochs.map { guard let value = $0.intValue else { throw StateValue.damaged("History.epoch", "integers") }; return value }
        history = [:]
        rows = [:]
        for (key, item) in series {
            guard case .object(let fields) = item, let values = fields["values"]?.arrayValue,
                  let positions = fields["rows"]?.arrayValue, values.count == positions.count else {
                throw StateValue.damaged("History.\(key)", "values with their rows")
            }
            history[key] = try values.map { guard let value = $0.doubleValue else { throw StateValue.damaged("History.\(key)", "numbers") }; return value }
            rows[key] = positions.compactMap(\.intValue)
        }
    }

    /// Every key's values placed at their epoch's row, nil where the key was not logged.
    public var valuesByEpochRow: [String: [Double?]] {
        var aligned: [String: [Double?]] = [:]
        for (key, values) in history {
            var column = [Double?](repeating: nil, count: epoch.count)
            for (value, row) in zip(values, rows[key] ?? []) { column[row] = value }
            aligned[key] = column
        }
        return aligned
    }

    /// Adds an epoch's logs directly (for building a history by hand or from a file).
    public func record(epoch: Int, logs: [String: Double]) {
        var copy = logs
        onEpochEnd(epoch, logs: &copy)
    }

    /// `{"epoch": [...], "history": {"loss": [...], ...}}` — the Kestrel history JSON that
    /// `kestrel diagnose` reads (see `HistoryFile`).
    public func jsonData() throws -> Data {
        try HistoryFile.json(epochs: epoch, series: valuesByEpochRow)
    }

    /// The history as Keras's CSVLogger writes it: `epoch` then the keys sorted, one row per epoch
    /// (`NA` where a key has no value for that row).
    public func csvText() -> String {
        HistoryFile.csv(epochs: epoch, series: valuesByEpochRow)
    }

    /// Writes `jsonData()` (".json") or `csvText()` (".csv") to `path` atomically.
    public func save(to path: String) throws {
        let data = path.lowercased().hasSuffix(".csv") ? Data(csvText().utf8) : try jsonData()
        try AtomicFile.write(data, to: path)
    }
}
