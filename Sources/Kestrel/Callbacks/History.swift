import Foundation

/// Records every epoch's logs (Keras's `History`, returned by `fit`): `history["val_loss"]` is the
/// list of validation losses, one per epoch.
///
/// It holds one table: for each key, one entry per recorded epoch, nil where the key was not logged
/// (validation with `validationFreq: 2`); a logged NaN stays NaN. `history` (Keras's dictionary),
/// `valuesByEpochRow`, the files and the backup state are all read from that table.
public final class History: Callback, @unchecked Sendable {
    /// The epoch indices recorded (0-based, as Keras's `history.epoch`).
    public private(set) var epoch: [Int] = []
    /// Every key's value at each row of `epoch`, nil where the key was not logged.
    public private(set) var valuesByEpochRow: [String: [Double?]] = [:]
    /// The keys in Keras's order: the keys `fit` logs sorted, then keys callbacks add such as
    /// `learning_rate`, in the order they first appear.
    private var order: [String] = []
    /// The keys `fit` itself logged at the current epoch's end (before any callback added its own).
    private var fitKeys: Set<String>?
    /// How many of `order` (at the front) are keys `fit` logged.
    private var fitKeyCount = 0

    /// Metric name → the values logged, one per epoch it was logged at, in Keras's key order; prints
    /// as Python prints Keras's `history.history`.
    public var history: HistoryDictionary {
        var dictionary = HistoryDictionary()
        for key in order { dictionary[key] = valuesByEpochRow[key]?.compactMap { $0 } }
        return dictionary
    }

    /// The values logged under `key`, or nil if never logged.
    public subscript(key: String) -> [Double]? { valuesByEpochRow[key]?.compactMap { $0 } }

    /// The logged keys, sorted.
    public var keys: [String] { order.sorted() }

    /// Called by `fit` before the epoch-end hooks with the keys it logged, so keys callbacks add
    /// (`learning_rate`) go after them, as in Keras.
    func noteKeysLoggedByFit(_ keys: Dictionary<String, Double>.Keys) { fitKeys = Set(keys) }

    /// Appends the epoch's logs.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        let loggedByFit = fitKeys ?? Set(logs.keys)
        for key in logs.keys.sorted() where valuesByEpochRow[key] == nil {
            valuesByEpochRow[key] = Array(repeating: nil, count: self.epoch.count)
            if loggedByFit.contains(key) {
                order.insert(key, at: order.prefix(fitKeyCount).firstIndex { $0 > key } ?? fitKeyCount)
                fitKeyCount += 1
            } else {
                order.append(key)
            }
        }
        self.epoch.append(epoch)
        for key in order { valuesByEpochRow[key]?.append(logs[key]) }
        fitKeys = nil
    }

    /// The epochs and values recorded so far (each key's logged values with the rows they were logged at).
    public override func stateDictionary() throws -> [String: StateValue] {
        var series: [String: StateValue] = [:]
        for (key, column) in valuesByEpochRow {
            let rows = column.indices.filter { column[$0] != nil }
            series[key] = .object(["values": .array(rows.map { StateValue.number(column[$0] ?? .nan) }),
                                   "rows": .array(rows.map(StateValue.int))])
        }
        return ["epoch": .array(epoch.map(StateValue.int)), "history": .object(series),
                "keys": .array(order.map(StateValue.string)), "fitKeyCount": .int(fitKeyCount)]
    }

    /// Puts back the epochs and values of a resumed run.
    public override func restoreState(_ state: [String: StateValue]) throws {
        guard let epochs = state["epoch"]?.arrayValue, case .object(let series)? = state["history"] else {
            throw StateValue.damaged("History", "epochs and series")
        }
        epoch = try epochs.map { guard let value = $0.intValue else { throw StateValue.damaged("History.epoch", "integers") }; return value }
        let savedOrder = state["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        order = savedOrder.filter { series[$0] != nil } + series.keys.sorted().filter { !savedOrder.contains($0) }
        fitKeyCount = Swift.min(state["fitKeyCount"]?.intValue ?? order.count, order.count)
        valuesByEpochRow = [:]
        for key in order {
            guard case .object(let fields)? = series[key], let values = fields["values"]?.arrayValue,
                  let positions = fields["rows"]?.arrayValue, values.count == positions.count else {
                throw StateValue.damaged("History.\(key)", "values with their rows")
            }
            var column = [Double?](repeating: nil, count: epoch.count)
            for (value, position) in zip(values, positions) {
                guard let number = value.doubleValue, let row = position.intValue, column.indices.contains(row) else {
                    throw StateValue.damaged("History.\(key)", "numbers at rows of the recorded epochs")
                }
                column[row] = number
            }
            valuesByEpochRow[key] = column
        }
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
