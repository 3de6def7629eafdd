import Foundation

/// Records every epoch's logs (Keras's `History`, returned by `fit`): `history["val_loss"]` is the
/// list of validation losses, one per epoch.
///
/// It wraps one `TrainingLog` (`log`): for each key, one entry per recorded epoch, nil where the key
/// was not logged (validation with `validationFreq: 2`); a logged NaN stays NaN. `history` (Keras's
/// dictionary), the files, the backup state and KestrelDiagnostics' analyses all read that table.
public final class History: Callback, @unchecked Sendable {
    /// The epochs and every key's value at each of them, nil where the key was not logged.
    public private(set) var log = TrainingLog()
    /// The epoch indices recorded (0-based, as Keras's `history.epoch`).
    public var epoch: [Int] { log.epochs }
    /// The keys in Keras's order: the keys `fit` logs sorted, then keys callbacks add such as
    /// `learning_rate`, in the order they first appear.
    private var order: [String] = []
    /// The keys `fit` itself logged at the current epoch's end (before any callback added its own).
    private var fitKeys: Set<String>?
    /// How many of `order` (at the front) are keys `fit` logged.
    private var fitKeyCount = 0

    /// A history holding `log` as it is (keys in sorted order). `Doctor` writes its runs' histories this way.
    public convenience init(log: TrainingLog) {
        self.init()
        self.log = log
        order = log.metricNames
        fitKeyCount = order.count
    }

    /// Metric name → the values logged, one per epoch it was logged at, in Keras's key order; prints
    /// as Python prints Keras's `history.history`.
    public var history: HistoryDictionary {
        var dictionary = HistoryDictionary()
        for key in order { dictionary[key] = log.series[key]?.compactMap { $0 } }
        return dictionary
    }

    /// The values logged under `key`, or nil if never logged.
    public subscript(key: String) -> [Double]? { log.series[key]?.compactMap { $0 } }

    /// The logged keys, sorted.
    public var keys: [String] { order.sorted() }

    /// Called by `fit` before the epoch-end hooks with the keys it logged, so keys callbacks add
    /// (`learning_rate`) go after them, as in Keras.
    func noteKeysLoggedByFit(_ keys: Dictionary<String, Double>.Keys) { fitKeys = Set(keys) }

    /// Appends the epoch's logs.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        let loggedByFit = fitKeys ?? Set(logs.keys)
        for key in logs.keys.sorted() where log.series[key] == nil {
            if loggedByFit.contains(key) {
                order.insert(key, at: order.prefix(fitKeyCount).firstIndex { $0 > key } ?? fitKeyCount)
                fitKeyCount += 1
            } else {
                order.append(key)
            }
        }
        log.append(epoch: epoch, logs: logs)
        fitKeys = nil
    }

    /// The epochs and values recorded so far (each key's logged values with the rows they were logged at).
    public override func stateDictionary() throws -> [String: StateValue] {
        var series: [String: StateValue] = [:]
        for (key, column) in log.series {
            let rows = column.indices.filter { column[$0] != nil }
            series[key] = .object(["values": .array(rows.map { StateValue.number(column[$0] ?? .nan) }),
                                   "rows": .array(rows.map(StateValue.int))])
        }
        return ["epoch": .array(epoch.map(StateValue.int)), "history": .object(series),
                "keys": .array(order.map(StateValue.string)), "fitKeyCount": .int(fitKeyCount)]
    }

    /// Puts back the epochs and values of a resumed run.
    public override func restoreState(_ state: [String: StateValue]) throws {
        guard let epochs = state["epoch"]?.arrayValue, case .object(let saved)? = state["history"] else {
            throw StateValue.damaged("History", "epochs and series")
        }
        let epoch = try epochs.map {
            guard let value = $0.intValue, TrainingLog.validEpochs.contains(value) else {
                throw StateValue.damaged("History.epoch", "epoch numbers in \(TrainingLog.validEpochs)")
            }
            return value
        }
        let savedOrder = state["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        order = savedOrder.filter { saved[$0] != nil } + saved.keys.sorted().filter { !savedOrder.contains($0) }
        // A negative count made `order.prefix(fitKeyCount)` trap.
        fitKeyCount = Swift.max(0, Swift.min(state["fitKeyCount"]?.intValue ?? order.count, order.count))
        var series: [String: [Double?]] = [:]
        for key in order {
            guard case .object(let fields)? = saved[key], let values = fields["values"]?.arrayValue,
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
            series[key] = column
        }
        let data = log.data
        log = try TrainingLog(series: series, epochs: epoch)
        log.data = data
    }

    /// What the run is trained and validated on (`fit` on arrays records it; saved with the history JSON).
    public var data: DataFingerprint? {
        get { log.data }
        set { log.data = newValue }
    }

    /// Adds an epoch's logs directly (for building a history by hand or from a file).
    public func record(epoch: Int, logs: [String: Double]) {
        var copy = logs
        onEpochEnd(epoch, logs: &copy)
    }

    /// `{"epoch": [...], "history": {"loss": [...], ...}}` — the Kestrel history JSON that
    /// `kestrel diagnose` reads (see `HistoryFile`).
    public func jsonData() throws -> Data {
        try HistoryFile.json(log)
    }

    /// The history as Keras's CSVLogger writes it: `epoch` then the keys sorted, one row per epoch
    /// (`NA` where a key has no value for that row).
    public func csvText() -> String {
        HistoryFile.csv(log)
    }

    /// Writes `jsonData()` (".json") or `csvText()` (".csv") to `path` atomically.
    public func save(to path: String) throws {
        let data = path.lowercased().hasSuffix(".csv") ? Data(csvText().utf8) : try jsonData()
        try AtomicFile.write(data, to: path)
    }
}
