import Foundation

/// Records every epoch's logs (Keras's `History`, returned by `fit`): `history["val_loss"]` is the
/// list of validation losses, one per epoch.
public final class History: Callback, @unchecked Sendable {
    /// Metric name → one value per epoch, in Keras's key order (the keys `fit` logs sorted, then keys
    /// callbacks add such as `learning_rate`); prints as Python prints Keras's `history.history`.
    public private(set) var history = HistoryDictionary()
    /// The epoch indices recorded (0-based, as Keras's `history.epoch`).
    public private(set) var epoch: [Int] = []

    /// The values logged under `key`, or nil if never logged.
    public subscript(key: String) -> [Double]? { history[key] }

    /// The logged keys, sorted.
    public var keys: [String] { history.keys.sorted() }

    /// Key → the rows (positions in `epoch`) its values were logged at, so files line values up
    /// with their epochs when a key is not logged every epoch (e.g. `validationFreq: 2`).
    private var rows: [String: [Int]] = [:]
    /// The keys `fit` itself logged at the current epoch's end (before any callback added its own).
    private var fitKeys: Set<String>?
    /// How many of `history.keys` (at the front) are keys `fit` logged.
    private var fitKeyCount = 0

    /// Called by `fit` before the epoch-end hooks with the keys it logged, so keys callbacks add
    /// (`learning_rate`) go after them, as in Keras.
    func noteKeysLoggedByFit(_ keys: Dictionary<String, Double>.Keys) { fitKeys = Set(keys) }

    /// Appends the epoch's logs to `history`.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        self.epoch.append(epoch)
        let loggedByFit = fitKeys ?? Set(logs.keys)
        for key in logs.keys.sorted() where !history.contains(key) {
            let byFit = loggedByFit.contains(key)
            history.insert(key, loggedByFit: byFit, fitKeyCount: fitKeyCount)
            if byFit { fitKeyCount += 1 }
        }
        for (key, value) in logs {
            history.append(value, to: key)
            rows[key, default: []].append(self.epoch.count - 1)
        }
        fitKeys = nil
    }

    /// The epochs and values recorded so far.
    public override func stateDictionary() throws -> [String: StateValue] {
        var series: [String: StateValue] = [:]
        for (key, values) in history {
            series[key] = .object(["values": .array(values.map { StateValue.number($0) }),
                                   "rows": .array((rows[key] ?? []).map(StateValue.int))])
        }
        return ["epoch": .array(epoch.map(StateValue.int)), "history": .object(series),
                "keys": .array(history.keys.map(StateValue.string)), "fitKeyCount": .int(fitKeyCount)]
    }

    /// Puts back the epochs and values of a resumed run.
    public override func restoreState(_ state: [String: StateValue]) throws {
        guard let epochs = state["epoch"]?.arrayValue, case .object(let series)? = state["history"] else {
            throw StateValue.damaged("History", "epochs and series")
        }
        epoch = try epochs.map { guard let value = $0.intValue else { throw StateValue.damaged("History.epoch", "integers") }; return value }
        history = HistoryDictionary()
        rows = [:]
        let savedOrder = state["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let order = savedOrder.filter { series[$0] != nil } + series.keys.sorted().filter { !savedOrder.contains($0) }
        fitKeyCount = Swift.min(state["fitKeyCount"]?.intValue ?? order.count, order.count)
        for key in order {
            guard let item = series[key] else { continue }
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
